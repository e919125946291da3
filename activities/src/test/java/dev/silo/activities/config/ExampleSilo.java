package dev.silo.activities.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.silo.workflows.config.SiloConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A copy of {@code examples/config/silos/acme-crm} in a temporary config root, which a test breaks
 * in one precise way before loading it. Testing the shipped example keeps it loadable.
 */
final class ExampleSilo {

  static final String COMPOSE_FILE = "docker-compose.silo-acme-crm.yml";

  // Surefire runs in the module's directory, and the example lives next to the modules.
  private static final Path EXAMPLE = Path.of("..", "examples", "config", "silos", "acme-crm");

  private final Path configRoot;
  private final Path directory;

  private ExampleSilo(Path configRoot) {
    this.configRoot = configRoot;
    this.directory = configRoot.resolve("acme-crm");
  }

  /** Copies the example to {@code configRoot/acme-crm}. */
  static ExampleSilo copyTo(Path configRoot) throws IOException {
    assertThat(EXAMPLE).as("the example silo, relative to the activities module").isDirectory();
    ExampleSilo silo = new ExampleSilo(configRoot);
    try (Stream<Path> files = Files.walk(EXAMPLE)) {
      for (Path source : files.toList()) {
        Path target = silo.directory.resolve(EXAMPLE.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
    return silo;
  }

  Path configRoot() {
    return configRoot;
  }

  Path directory() {
    return directory;
  }

  Path file(String relative) {
    return directory.resolve(relative);
  }

  SiloConfig load() throws SiloConfigException {
    return new SiloConfigLoader().load(configRoot, "acme", "crm");
  }

  /**
   * Loads the directory, expecting it to fail, and returns the problems as a user reads them, each
   * file relative to the silo directory (the user reads it under {@code acme-crm/}, see {@link
   * #failure}).
   */
  List<String> problems() {
    return failure().problems().stream().map(ConfigProblem::render).toList();
  }

  /** Loads the directory, expecting it to fail. */
  SiloConfigException failure() {
    return assertThatExceptionOfType(SiloConfigException.class).isThrownBy(this::load).actual();
  }

  /** Replaces the one occurrence of {@code from} in a file. */
  ExampleSilo replace(String relative, String from, String to) {
    String text = read(relative);
    assertThat(text).as(relative).containsOnlyOnce(from);
    return write(relative, text.replace(from, to));
  }

  ExampleSilo write(String relative, String text) {
    try {
      Files.createDirectories(file(relative).getParent());
      Files.writeString(file(relative), text, StandardCharsets.UTF_8);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ExampleSilo delete(String relative) {
    try {
      Files.delete(file(relative));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The 1-based line of the one line of a file that contains {@code text}. */
  int lineOf(String relative, String text) {
    List<String> lines = read(relative).lines().toList();
    List<Integer> matches =
        IntStream.range(0, lines.size())
            .filter(index -> lines.get(index).contains(text))
            .boxed()
            .toList();
    assertThat(matches).as("lines of %s containing %s", relative, text).hasSize(1);
    return matches.get(0) + 1;
  }

  String read(String relative) {
    try {
      return Files.readString(file(relative), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
