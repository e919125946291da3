package dev.silo.activities.docker;

import dev.silo.activities.Secret;

/**
 * Where the worker's container engine is, read from {@value DockerEngine#HOST_VARIABLE}, {@code
 * DOCKER_TLS_VERIFY}, {@code DOCKER_CERT_PATH} and {@code XDG_RUNTIME_DIR} (for Podman's rootless
 * socket). Each is null when unset or blank.
 *
 * @param host the engine's address ({@code unix:///path}, {@code tcp://host:port}, {@code
 *     npipe://...}); it may hold a user and password, which {@link #toString} hides
 * @param tlsVerify the {@code DOCKER_TLS_VERIFY} value: {@code 0} or {@code false} turn TLS
 *     verification off, anything else on
 * @param certPath the directory of the TLS client certificates
 * @param runtimeDirectory the user's runtime directory, holding {@code podman/podman.sock}
 */
public record DockerSettings(String host, String tlsVerify, String certPath, String runtimeDirectory) {

  /** Nothing set: only the default sockets are looked for. */
  public static final DockerSettings NONE = new DockerSettings(null, null, null, null);

  @Override
  public String toString() {
    return "DockerSettings[host=" + Secret.withoutUrlCredentials(host) + ", tlsVerify=" + tlsVerify + ", certPath="
        + certPath + ", runtimeDirectory=" + runtimeDirectory + "]";
  }
}
