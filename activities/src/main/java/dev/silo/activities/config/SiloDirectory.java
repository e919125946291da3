package dev.silo.activities.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A silo's config directory, and the rule that nothing read on its behalf may live outside it: a
 * config file must not be able to make the worker read or mount {@code /etc} or another silo.
 */
final class SiloDirectory {

  /** The wording every escape problem shares, so that a user can search for it. */
  static final String ESCAPES = "path escapes the silo directory";

  private final Path path;
  private final Path realPath;

  private SiloDirectory(Path path, Path realPath) {
    this.path = path;
    this.realPath = realPath;
  }

  /** Opens an existing directory; {@code path} must be absolute and normalized. */
  static SiloDirectory open(Path path) {
    try {
      return new SiloDirectory(path, path.toRealPath());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path path() {
    return path;
  }

  /** The name problems use for a file: relative to the directory, with {@code /} separators. */
  String relative(Path file) {
    return path.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
  }

  /**
   * Resolves a path written in a config file against the directory.
   *
   * @return the absolute, normalized path, or empty when it escapes the directory, either as
   *     written or, for a path that exists, through a symbolic link
   */
  Optional<Path> resolve(String written) {
    Path resolved = path.resolve(written).normalize();
    return contains(resolved) ? Optional.of(resolved) : Optional.empty();
  }

  /**
   * Tells whether a path lies inside the directory. The normalized check catches {@code ..}; the
   * real-path check, for a path that exists, catches a symbolic link pointing elsewhere.
   */
  boolean contains(Path file) {
    Path normalized = path.resolve(file).normalize();
    if (!normalized.startsWith(path)) {
      return false;
    }
    if (!Files.exists(normalized)) {
      return true;
    }
    try {
      return normalized.toRealPath().startsWith(realPath);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads an existing file as UTF-8, reporting a file that escapes the directory or is not UTF-8.
   * Any other I/O error is not a config problem and propagates, so that the activity is retried.
   */
  Optional<String> readText(Path file, FileProblems problems) {
    if (!contains(file)) {
      problems.add(ESCAPES);
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (CharacterCodingException e) {
      problems.add("file is not valid UTF-8");
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
