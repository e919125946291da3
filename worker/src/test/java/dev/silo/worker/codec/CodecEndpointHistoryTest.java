package dev.silo.worker.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.util.JsonFormat;
import dev.silo.client.codec.AesGcmPayloadCodec;
import dev.silo.client.codec.PayloadKey;
import dev.silo.client.codec.SiloDataConverter;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A payload as a real workflow run writes it to history, decoded by the endpoint as the Web UI asks for it. */
class CodecEndpointHistoryTest {

  private static final String TOKEN = "history-test-token";
  private static final String KNOWN = "service_role key for acme-crm: test-service-role-key";

  private TestWorkflowEnvironment env;
  private CodecEndpoint endpoint;

  /** A workflow that only gives back what it was given. */
  @WorkflowInterface
  public interface EchoWorkflow {

    @WorkflowMethod
    String echo(String text);
  }

  /** The echo. */
  public static final class EchoWorkflowImpl implements EchoWorkflow {

    @Override
    public String echo(String text) {
      return text;
    }
  }

  @AfterEach
  void stop() {
    if (endpoint != null) {
      endpoint.close();
    }
    if (env != null) {
      env.close();
    }
  }

  @Test
  void givenTheInputOfARealRun_whenTheUiDecodesItFromHistory_itShouldShowTheString() throws Exception {
    byte[] keyBytes = new byte[PayloadKey.KEY_BYTES];
    new SecureRandom().nextBytes(keyBytes);
    PayloadKey key = PayloadKey.of(keyBytes);
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setWorkflowClientOptions(WorkflowClientOptions.newBuilder()
            .setDataConverter(SiloDataConverter.create(key)).build())
        .build());
    env.newWorker("codec-history").registerWorkflowImplementationTypes(EchoWorkflowImpl.class);
    env.start();
    endpoint = CodecEndpoint.start(new CodecEndpoint.Settings(TOKEN, "127.0.0.1", 0, "http://localhost:8080"),
        new AesGcmPayloadCodec(key));

    EchoWorkflow workflow = env.getWorkflowClient().newWorkflowStub(EchoWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue("codec-history").setWorkflowId("codec-history-1").build());
    assertThat(workflow.echo(KNOWN)).isEqualTo(KNOWN);
    Payload input = env.getWorkflowClient().fetchHistory("codec-history-1").getEvents().stream()
        .filter(HistoryEvent::hasWorkflowExecutionStartedEventAttributes).findFirst().orElseThrow()
        .getWorkflowExecutionStartedEventAttributes().getInput().getPayloads(0);
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(endpoint.uri() + "/default/decode"))
            .header("Authorization", "Bearer " + TOKEN)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"payloads\":[" + JsonFormat.printer().print(input) + "]}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(input.getData().toStringUtf8()).doesNotContain(KNOWN);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode decoded = new ObjectMapper().readTree(response.body()).get("payloads").get(0);
    assertThat(new String(Base64.getDecoder().decode(decoded.get("data").asText()), StandardCharsets.UTF_8))
        .isEqualTo("\"" + KNOWN + "\"");
    assertThat(new String(Base64.getDecoder().decode(decoded.get("metadata").get("encoding").asText()),
        StandardCharsets.UTF_8)).isEqualTo("json/plain");
  }
}
