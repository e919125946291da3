package dev.silo.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the vendors' published API descriptions (the project's {@code shared/contracts}
 * directory), which the emulators validate every request against.
 */
public final class Contracts {

  /** Overrides where the contracts directory is looked for. */
  public static final String DIRECTORY_VARIABLE = "SILO_CONTRACTS_DIR";

  /** Where the shared contracts live on the machines this project is developed on. */
  static final Path WELL_KNOWN_DIRECTORY = Path.of("/work/shared/contracts");

  private Contracts() {}

  /**
   * Finds a spec file: in {@value #DIRECTORY_VARIABLE} when set, else in {@code ../shared/contracts}
   * or {@code ../../shared/contracts} from the working directory or its parent (a module directory
   * or the repository root), else in {@code /work/shared/contracts}.
   *
   * @throws IllegalStateException naming every place looked at, when none holds the file
   */
  public static Path locate(String fileName) {
    return locate(fileName, System.getenv(), Path.of(System.getProperty("user.dir")));
  }

  static Path locate(String fileName, Map<String, String> environment, Path workingDirectory) {
    List<Path> candidates = new ArrayList<>();
    String configured = environment.get(DIRECTORY_VARIABLE);
    if (configured != null && !configured.isBlank()) {
      candidates.add(Path.of(configured));
    }
    Path start = workingDirectory.toAbsolutePath().normalize();
    for (Path directory : start.getParent() == null ? List.of(start) : List.of(start, start.getParent())) {
      candidates.add(directory.resolve("../shared/contracts").normalize());
      candidates.add(directory.resolve("../../shared/contracts").normalize());
    }
    candidates.add(WELL_KNOWN_DIRECTORY);
    Set<Path> tried = new LinkedHashSet<>();
    for (Path directory : candidates) {
      Path spec = directory.resolve(fileName);
      if (Files.isRegularFile(spec)) {
        return spec;
      }
      tried.add(spec);
    }
    throw new IllegalStateException(
        "API spec " + fileName + " was not found; set " + DIRECTORY_VARIABLE
            + " to the contracts directory. Looked at: " + tried);
  }
}
