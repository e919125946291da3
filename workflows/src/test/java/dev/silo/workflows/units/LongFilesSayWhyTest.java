package dev.silo.workflows.units;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every main source file of the repository over {@value #BOUND} lines says, at its top, why it is
 * one unit: a file that grows past the bound without a reason is split, or given one.
 */
class LongFilesSayWhyTest {

  static final int BOUND = 300;
  static final String REASON = "It is one unit over 300 lines because ";

  @Test
  void everyLongMainFileSaysWhyItIsOneUnit() throws IOException {
    // The tests run in the module's directory; the repository is its parent.
    Path root = Path.of("").toAbsolutePath().getParent();
    List<String> offenders = new ArrayList<>();
    int checked = 0;
    try (Stream<Path> modules = Files.list(root)) {
      for (Path module : modules.sorted().toList()) {
        Path main = module.resolve("src/main/java");
        if (!Files.isDirectory(main)) {
          continue;
        }
        try (Stream<Path> files = Files.walk(main)) {
          for (Path file : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
            checked++;
            String text = Files.readString(file);
            long lines = text.lines().count();
            if (lines > BOUND && !text.contains(REASON)) {
              offenders.add(lines + " " + root.relativize(file));
            }
          }
        }
      }
    }
    assertThat(checked).as("main source files found under %s", root).isPositive();
    assertThat(offenders)
        .as("files over %d lines without \"%s\"", BOUND, REASON.strip())
        .isEmpty();
  }
}
