package dev.silo.activities.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * A silo's config directory, and the rule that nothing read on its behalf may live outside it: a
 * config file must not be able to make the worker read or mount {@code /etc} or another silo.
 */
final class SiloDirectory {

  /** The wording every escape problem shares, so that a user can search for it. */
  static final String ESCAPES = "path escapes the silo directory";

  private final Path path;
  private final Path realPath;
  private final Set<Path> counted = new HashSet<>();
  private long configBytes;

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

  /** The bytes of the config files {@link #readText} was asked for so far, each file counted once. */
  long configBytes() {
    return configBytes;
  }

  /**
   * Hashes an existing file that must be UTF-8 and at most {@code limit} bytes, reporting a file
   * that escapes the directory, is larger or is not UTF-8. The file is streamed, never held whole.
   * Any other I/O error propagates, so that the activity is retried.
   */
  Optional<FileDigest> digest(Path file, long limit, String kind, FileProblems problems) {
    if (!contains(file)) {
      problems.add(ESCAPES);
      return Optional.empty();
    }
    try {
      long size = Files.size(file);
      if (size > limit) {
        problems.add("file is " + ConfigLimits.describe(size) + ", over the " + ConfigLimits.limit(limit)
            + " limit of " + kind);
        return Optional.empty();
      }
      FileDigest digest = FileDigest.ofUtf8(file);
      if (digest == null) {
        problems.add("file is not valid UTF-8");
        return Optional.empty();
      }
      return Optional.of(digest);
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
      long size = Files.size(file);
      if (counted.add(file.normalize())) {
        configBytes += size;
      }
      if (size > ConfigLimits.CONFIG_FILE_BYTES) {
        problems.add("file is " + ConfigLimits.describe(size) + ", over the "
            + ConfigLimits.limit(ConfigLimits.CONFIG_FILE_BYTES) + " limit of a config file");
        return Optional.empty();
      }
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (CharacterCodingException e) {
      problems.add("file is not valid UTF-8");
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
