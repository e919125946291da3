package dev.silo.activities.docker;

import dev.silo.workflows.config.ComposeService;
import dev.silo.workflows.config.Healthcheck;
import java.time.Duration;
import java.util.List;

/**
 * The example silo's seven services (examples/config/silos/acme-crm) with the {@link AgentImage} in
 * place of their real images: the same names, dependencies and conditions, the same kinds of ports,
 * volumes, environment, labels and restart policies, and a healthcheck where the example has one.
 * busybox httpd serves on 8080 and wget probes it. Listed so that each service comes after what it
 * depends on.
 */
final class ExampleProject {

  static final List<String> HTTPD = List.of("/bin/httpd", "-f", "-p", "8080", "-h", "/www");
  static final String HEALTHY = ComposeService.SERVICE_HEALTHY;
  static final String STARTED = "service_started";

  /** The services with a healthcheck, which must come up healthy; the others come up running. */
  static final List<String> WITH_HEALTHCHECK = List.of("postgres", "auth", "kong", "storage");

  private ExampleProject() {}

  /**
   * @param kongSite a host directory kong serves, bind-mounted read-only as the example mounts
   *     kong.yml
   * @param kongPort the port kong is published on, on 127.0.0.1
   */
  static List<ComposeService> services(String kongSite, int kongPort) {
    return List.of(
        ServiceDraft.named("postgres")
            .command(HTTPD)
            .environment("POSTGRES_DB", "postgres")
            .ports("8080")
            .volumes("db-data:/var/lib/postgresql/data")
            .healthcheck(httpCheck())
            .restart("unless-stopped")
            .build(),
        ServiceDraft.named("rest-api")
            .command(HTTPD)
            .dependsOn("postgres", HEALTHY)
            .restart("unless-stopped")
            .build(),
        ServiceDraft.named("auth")
            .command(HTTPD)
            .dependsOn("postgres", HEALTHY)
            .healthcheck(httpCheck())
            .restart("unless-stopped")
            .build(),
        ServiceDraft.named("storage")
            .command(HTTPD)
            .volumes("storage-data:/var/lib/storage")
            .dependsOn("postgres", HEALTHY)
            .dependsOn("rest-api", STARTED)
            .healthcheck(
                new Healthcheck(
                    List.of("CMD-SHELL", "wget -q -O /dev/null http://localhost:8080/ || exit 1"),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(3),
                    5,
                    Duration.ZERO))
            .restart("unless-stopped")
            .build(),
        ServiceDraft.named("kong")
            .command("/bin/httpd", "-f", "-p", "8080", "-h", "/site")
            .ports("127.0.0.1:" + kongPort + ":8080/tcp")
            .volumes(kongSite + ":/site:ro")
            .dependsOn("rest-api", STARTED)
            .dependsOn("auth", STARTED)
            .dependsOn("storage", STARTED)
            .healthcheck(httpCheck())
            .restart("unless-stopped")
            .build(),
        ServiceDraft.named("studio")
            .command(HTTPD)
            .environment("SUPABASE_URL", "http://kong:8080")
            .dependsOn("kong", HEALTHY)
            .restart("unless-stopped")
            .build(),
        ServiceDraft.named("worker-queue")
            .command("/bin/sleep", "3600")
            .environment("QUEUE_POLL_INTERVAL_MS", "500")
            .environment("DATABASE_URL", "postgres://postgres:dev-only@postgres:5432/postgres")
            .environment("LOG_LEVEL", "debug")
            .dependsOn("postgres", HEALTHY)
            .label("dev.silo.client", "acme")
            .label("dev.silo.app", "crm")
            .restart("on-failure:5")
            .workingDir("/app")
            .user("1000:1000")
            .build());
  }

  /** Probes httpd as the issue asks: wget every second, five tries. */
  static Healthcheck httpCheck() {
    return new Healthcheck(
        List.of("CMD", "/bin/wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"),
        Duration.ofSeconds(1),
        Duration.ofSeconds(3),
        5,
        Duration.ZERO);
  }
}
