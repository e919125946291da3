package dev.silo.activities.config;

import dev.silo.workflows.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The directories under which a worker reads silo configs: its {@value #VARIABLE}, one directory or
 * several separated by the path separator ({@code :} on Unix). A request names a silo, never a
 * path: the silo's directory {@code {client}-{app}} must be under exactly one of the roots.
 *
 * <p>Messages never show a root's path, which is the worker's business: a root is named by its
 * position in {@value #VARIABLE}.
 */
public final class ConfigRoots {

  /** The worker's environment variable that lists its config roots. */
  public static final String VARIABLE = "SILO_CONFIG_ROOT";

  /** The config root of a worker whose {@value #VARIABLE} is not set, relative to its working directory. */
  public static final String DEFAULT = "./config/silos";

  private final List<Path> roots;

  private ConfigRoots(List<Path> roots) {
    if (roots.isEmpty()) {
      throw new IllegalArgumentException("at least one config root is needed");
    }
    this.roots = roots.stream().map(root -> root.toAbsolutePath().normalize()).toList();
  }

  /** The given roots, in order. */
  public static ConfigRoots of(Path... roots) {
    return new ConfigRoots(List.of(roots));
  }

  /** The given roots, in order. */
  public static ConfigRoots of(List<Path> roots) {
    return new ConfigRoots(List.copyOf(roots));
  }

  /**
   * Parses a {@value #VARIABLE} value: directories separated by {@link File#pathSeparator}, empty
   * entries skipped.
   *
   * @throws IllegalArgumentException when it names no directory or an entry is not a path
   */
  public static ConfigRoots parse(String value) {
    List<Path> roots = new ArrayList<>();
    for (String entry : (value == null ? "" : value).split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        try {
          roots.add(Path.of(entry.strip()));
        } catch (InvalidPathException e) {
          throw new IllegalArgumentException(VARIABLE + " entry '" + entry + "' is not a path: " + e.getReason());
        }
      }
    }
    if (roots.isEmpty()) {
      throw new IllegalArgumentException(VARIABLE + " names no directory");
    }
    return new ConfigRoots(roots);
  }

  @Override
  public String toString() {
    return "ConfigRoots" + roots;
  }

  /** The roots, absolute and normalized, in order. */
  public List<Path> paths() {
    return roots;
  }

  /**
   * The root a request's config root names, comparing canonical real paths, or empty when it names
   * none of them.
   */
  Optional<Path> matching(String requested) {
    Path wanted;
    try {
      wanted = canonical(Path.of(requested));
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
    return roots.stream().filter(root -> canonical(root).equals(wanted)).findFirst();
  }

  /**
   * The root that holds the silo directory {@code directoryName}.
   *
   * @throws ApplicationFailure of type {@code INVALID_CONFIG}, not retryable, with one line when no
   *     root or more than one holds it
   */
  public Path locate(String directoryName) {
    List<Integer> holding = new ArrayList<>();
    for (int i = 0; i < roots.size(); i++) {
      if (Files.isDirectory(roots.get(i).resolve(directoryName))) {
        holding.add(i);
      }
    }
    if (holding.size() == 1) {
      return roots.get(holding.get(0));
    }
    String where = roots.size() == 1 ? "the worker's config root (" + VARIABLE + ")"
        : "any of the worker's " + roots.size() + " config roots (" + VARIABLE + ")";
    if (holding.isEmpty()) {
      throw invalidConfig("silo directory " + directoryName + "/ does not exist under " + where);
    }
    List<String> entries = holding.stream().map(i -> String.valueOf(i + 1)).toList();
    throw invalidConfig("silo directory " + directoryName + "/ exists under " + holding.size()
        + " of the worker's config roots (" + VARIABLE + " entries " + String.join(", ", entries)
        + "); it must be under exactly one");
  }

  private static Path canonical(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    if (!Files.exists(absolute)) {
      return absolute;
    }
    try {
      return absolute.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ApplicationFailure invalidConfig(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureType.INVALID_CONFIG.type());
  }
}
