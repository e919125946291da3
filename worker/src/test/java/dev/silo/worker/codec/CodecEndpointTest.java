package dev.silo.worker.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.silo.client.codec.AesGcmPayloadCodec;
import dev.silo.client.codec.PayloadKey;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The codec endpoint over real HTTP, as the Web UI and the temporal CLI call it. */
class CodecEndpointTest {

  private static final String TOKEN = "codec-test-token-6f1d2c";
  private static final String UI = "http://localhost:8080";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JSON_PLAIN = b64("json/plain");
  private static final String SECRET = "\"postgres://silo:s3cret@db:5432/acme\"";

  private final HttpClient http = HttpClient.newHttpClient();
  private final AesGcmPayloadCodec codec = new AesGcmPayloadCodec(newKey());
  private CodecEndpoint endpoint;

  @BeforeEach
  void start() {
    endpoint = CodecEndpoint.start(new CodecEndpoint.Settings(TOKEN, "127.0.0.1", 0, UI), codec);
  }

  @AfterEach
  void stop() {
    endpoint.close();
  }

  @Test
  void givenNoToken_whenDecoding_itShouldAnswer401WithAJsonErrorTheUiCanRead() throws Exception {
    HttpResponse<String> response = send(post("/default/decode", plainPayloads()).build());

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(JSON.readTree(response.body()).get("error").asText()).contains("Authorization: Bearer");
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue(UI);
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
  }

  @Test
  void givenAWrongToken_whenEncodingOrDecoding_itShouldAnswer401AndNeverShowTheToken() throws Exception {
    HttpResponse<String> bearer = send(post("/encode", plainPayloads())
        .header("Authorization", "Bearer " + TOKEN + "x").build());
    HttpResponse<String> cookie = send(post("/default/decode", plainPayloads())
        .header("Cookie", CodecEndpoint.COOKIE + "=" + TOKEN.substring(1)).build());

    assertThat(bearer.statusCode()).isEqualTo(401);
    assertThat(cookie.statusCode()).isEqualTo(401);
    assertThat(bearer.body() + cookie.body()).doesNotContain(TOKEN);
  }

  @Test
  void givenAPreflight_whenTheUiAsks_itShouldAnswer204WithoutAuthAdmittingOnlyTheUiOrigin() throws Exception {
    HttpResponse<String> response = send(request("/default/decode")
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", UI)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type,x-namespace").build());

    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue(UI);
    assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
    assertThat(response.headers().firstValue("Access-Control-Allow-Headers"))
        .hasValue("Content-Type, Authorization, X-Namespace");
    assertThat(response.headers().firstValue("Access-Control-Allow-Methods").orElseThrow()).contains("POST");
  }

  @Test
  void givenPlainPayloads_whenEncodedThenDecoded_itShouldGiveThemBackWithCorsForTheUi() throws Exception {
    String plain = plainPayloads();

    HttpResponse<String> encoded = send(post("/default/encode", plain).header("Authorization", "Bearer " + TOKEN)
        .header("Origin", UI).build());
    JsonNode encrypted = JSON.readTree(encoded.body()).get("payloads").get(0);
    HttpResponse<String> decoded = send(post("/decode", encoded.body()).header("Authorization", "bearer " + TOKEN)
        .header("X-Namespace", "default").build());

    assertThat(encoded.statusCode()).as(encoded.body()).isEqualTo(200);
    assertThat(encoded.headers().firstValue("Access-Control-Allow-Origin")).hasValue(UI);
    assertThat(encoded.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
    assertThat(encoded.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(text(encrypted.get("metadata").get("encoding"))).isEqualTo(AesGcmPayloadCodec.ENCODING);
    assertThat(text(encrypted.get("metadata").get(AesGcmPayloadCodec.METADATA_KEY_ID))).isEqualTo(codec.keyId());
    assertThat(text(encrypted.get("data"))).doesNotContain("s3cret");
    assertThat(decoded.statusCode()).as(decoded.body()).isEqualTo(200);
    assertThat(JSON.readTree(decoded.body())).isEqualTo(JSON.readTree(plain));
  }

  @Test
  void givenAPayloadThatIsNotEncrypted_whenDecoded_itShouldPassUnchanged() throws Exception {
    HttpResponse<String> response = send(post("/default/decode", plainPayloads())
        .header("Authorization", "Bearer " + TOKEN).build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree(plainPayloads()));
  }

  @Test
  void givenABodyThatIsNotJson_whenDecoded_itShouldAnswer400SayingSo() throws Exception {
    HttpResponse<String> response = send(post("/default/decode", "{\"payloads\": [").header("Authorization",
        "Bearer " + TOKEN).build());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).get("error").asText()).startsWith("the request body is not valid JSON");
  }

  @Test
  void givenAPayloadWhoseDataIsNotBase64_whenDecoded_itShouldAnswer400NamingThePayloadAndField() throws Exception {
    String body = "{\"payloads\":[" + payload(SECRET) + ",{\"metadata\":{\"encoding\":\"" + JSON_PLAIN
        + "\"},\"data\":\"not base64!\"}]}";

    HttpResponse<String> response = send(post("/default/decode", body).header("Authorization", "Bearer " + TOKEN)
        .build());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo("payload 1: data is not valid base64");
  }

  @Test
  void givenAPayloadEncryptedWithAnotherKey_whenDecoded_itShouldAnswer400NamingBothKeyIds() throws Exception {
    AesGcmPayloadCodec other = new AesGcmPayloadCodec(newKey());
    String encryptedElsewhere = send(post("/encode", plainPayloads()).header("Authorization", "Bearer " + TOKEN)
        .build()).body();
    CodecEndpoint otherEndpoint = CodecEndpoint.start(new CodecEndpoint.Settings(TOKEN, "127.0.0.1", 0, UI), other);
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(otherEndpoint.uri().resolve("/default/decode"))
          .POST(HttpRequest.BodyPublishers.ofString(encryptedElsewhere)).header("Authorization", "Bearer " + TOKEN)
          .build(), HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo("payload 0 was encrypted with key id "
          + codec.keyId() + ", this endpoint holds key id " + other.keyId());
    } finally {
      otherEndpoint.close();
    }
  }

  @Test
  void givenTheBrowserOpenedAuthWithTheToken_whenTheUiSendsTheCookie_itShouldDecode() throws Exception {
    HttpResponse<String> refused = send(request("/auth?token=wrong").GET().build());
    HttpResponse<String> authorized = send(request("/auth?token=" + TOKEN).GET().build());
    String cookie = authorized.headers().firstValue("Set-Cookie").orElseThrow();
    HttpResponse<String> decoded = send(post("/default/decode", plainPayloads())
        .header("Cookie", "other=1; " + cookie.substring(0, cookie.indexOf(';'))).header("Origin", UI).build());

    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.headers().firstValue("Set-Cookie")).isEmpty();
    assertThat(authorized.statusCode()).isEqualTo(200);
    assertThat(cookie).startsWith(CodecEndpoint.COOKIE + "=" + TOKEN + ";")
        .contains("; HttpOnly").contains("; SameSite=Strict").contains("; Path=/;");
    assertThat(decoded.statusCode()).as(decoded.body()).isEqualTo(200);
  }

  @Test
  void givenAnUnknownPathOrMethod_itShouldAnswer404Or405() throws Exception {
    assertThat(send(post("/default/other", plainPayloads()).build()).statusCode()).isEqualTo(404);
    assertThat(send(request("/default/decode").GET().header("Authorization", "Bearer " + TOKEN).build())
        .statusCode()).isEqualTo(405);
  }

  @Test
  void givenTheEnvironment_whenRead_itShouldStartOnlyWithATokenAndNameTheWrongVariable() {
    assertThat(CodecEndpoint.Settings.fromEnvironment(Map.of())).isEmpty();
    assertThat(CodecEndpoint.Settings.fromEnvironment(Map.of(CodecEndpoint.TOKEN_VARIABLE, TOKEN)))
        .hasValue(new CodecEndpoint.Settings(TOKEN, "127.0.0.1", 8081, "http://localhost:8080"));
    assertThat(CodecEndpoint.Settings.fromEnvironment(Map.of(CodecEndpoint.TOKEN_VARIABLE, TOKEN,
        CodecEndpoint.BIND_VARIABLE, "0.0.0.0", CodecEndpoint.PORT_VARIABLE, "18081",
        CodecEndpoint.UI_ORIGIN_VARIABLE, "https://temporal.example.com/")).orElseThrow())
        .isEqualTo(new CodecEndpoint.Settings(TOKEN, "0.0.0.0", 18081, "https://temporal.example.com"))
        .hasToString("Settings[bind=0.0.0.0, port=18081, uiOrigin=https://temporal.example.com]");
    assertThatThrownBy(() -> CodecEndpoint.Settings.fromEnvironment(Map.of(CodecEndpoint.TOKEN_VARIABLE, TOKEN,
        CodecEndpoint.PORT_VARIABLE, "eighty"))).hasMessage("SILO_CODEC_PORT must be a port number, not eighty");
    assertThatThrownBy(() -> CodecEndpoint.Settings.fromEnvironment(Map.of(CodecEndpoint.TOKEN_VARIABLE,
        "tok en;9f3e"))).hasMessageStartingWith("SILO_CODEC_TOKEN must be printable ASCII")
        .message().doesNotContain("9f3e");
  }

  private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(endpoint.uri() + path));
  }

  private HttpRequest.Builder post(String path, String body) {
    return request(path).POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
  }

  private static String plainPayloads() {
    return "{\"payloads\":[" + payload(SECRET) + "," + payload("42") + "]}";
  }

  private static String payload(String json) {
    return "{\"metadata\":{\"encoding\":\"" + JSON_PLAIN + "\"},\"data\":\"" + b64(json) + "\"}";
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(JsonNode base64) {
    return new String(Base64.getDecoder().decode(base64.asText()), StandardCharsets.UTF_8);
  }

  private static PayloadKey newKey() {
    byte[] key = new byte[PayloadKey.KEY_BYTES];
    new SecureRandom().nextBytes(key);
    return PayloadKey.of(key);
  }
}
