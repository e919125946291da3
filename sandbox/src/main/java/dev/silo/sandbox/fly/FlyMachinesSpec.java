package dev.silo.sandbox.fly;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds the Fly Machines API description the sandbox validates requests against, {@value
 * #FILE_NAME}, in the shared contracts directory that lives beside the project's clone.
 *
 * <p>The candidates, in order: the directory named by {@value #CONTRACTS_VARIABLE}; {@code
 * ../shared/contracts} and {@code ../../shared/contracts} from the working directory and from its
 * parent (Maven runs tests in the module's directory, the demo runs in the repository root; a git
 * worktree sits one level deeper than a clone); {@value #DEFAULT_CONTRACTS}.
 */
public final class FlyMachinesSpec {

  /** Names the contracts directory explicitly. */
  public static final String CONTRACTS_VARIABLE = "SILO_CONTRACTS_DIR";

  /** The spec's file name in the contracts directory. */
  public static final String FILE_NAME = "fly-machines-openapi-2024-01.yaml";

  static final String DEFAULT_CONTRACTS = "/work/shared/contracts";

  /**
   * Finds the spec from the process's environment and working directory.
   *
   * @throws IllegalStateException when no candidate holds the spec; the message lists them all
   */
  public static Path find() {
    return find(System.getenv(), Path.of(System.getProperty("user.dir")));
  }

  /**
   * Finds the spec from the given environment and working directory.
   *
   * @throws IllegalStateException when no candidate holds the spec; the message lists them all
   */
  public static Path find(Map<String, String> environment, Path workingDirectory) {
    List<Path> candidates = candidates(environment, workingDirectory);
    return candidates.stream()
        .map(directory -> directory.resolve(FILE_NAME))
        .filter(Files::isRegularFile)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(
            FILE_NAME + " not found; set " + CONTRACTS_VARIABLE + " to the shared contracts directory."
                + " Looked in: " + candidates));
  }

  private static List<Path> candidates(Map<String, String> environment, Path workingDirectory) {
    List<Path> candidates = new ArrayList<>();
    String explicit = environment.get(CONTRACTS_VARIABLE);
    if (explicit != null && !explicit.isBlank()) {
      candidates.add(Path.of(explicit));
    }
    Path here = workingDirectory.toAbsolutePath().normalize();
    List<Path> bases = here.getParent() == null ? List.of(here) : List.of(here, here.getParent());
    for (Path base : bases) {
      candidates.add(base.resolve("../shared/contracts").normalize());
      candidates.add(base.resolve("../../shared/contracts").normalize());
    }
    candidates.add(Path.of(DEFAULT_CONTRACTS));
    return candidates;
  }

  private FlyMachinesSpec() {}
}
