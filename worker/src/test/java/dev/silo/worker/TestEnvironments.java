package dev.silo.worker;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** Process environments for tests: a fresh payload key and no profile file from the developer. */
final class TestEnvironments {

  private TestEnvironments() {}

  static Map<String, String> pointingAt(String address, Path tmp) {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Map<String, String> env = new HashMap<>();
    env.put("TEMPORAL_ADDRESS", address);
    env.put("SILO_PAYLOAD_KEY", Base64.getEncoder().encodeToString(key));
    env.put("TEMPORAL_CONFIG_FILE", tmp.resolve("absent.toml").toString());
    env.put("SILO_CONFIG_ROOT", tmp.resolve("silos").toString());
    return env;
  }
}
