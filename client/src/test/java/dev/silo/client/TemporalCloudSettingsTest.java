package dev.silo.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.authorization.AuthorizationGrpcMetadataProvider;
import io.temporal.serviceclient.GrpcMetadataProvider;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Temporal Cloud settings as an operator gives them, through the {@code TEMPORAL_*} variables or a
 * profile file, reach the connection of CLI and worker alike. Opening a connection contacts no
 * server, so these tests only read what the connection was configured with.
 */
class TemporalCloudSettingsTest {

  private static final String CLOUD_NAMESPACE = "silo.a2b3c";
  private static final String TEST_API_KEY = "test-api-key";

  @TempDir Path tmp;

  @Test
  void givenAClientCertificateAndKey_whenOpened_itShouldConnectWithMutualTls() throws Exception {
    Path[] certificate = selfSignedCertificate();
    Map<String, String> env = baseEnv();
    env.put("TEMPORAL_ADDRESS", CLOUD_NAMESPACE + ".tmprl.cloud:7233");
    env.put("TEMPORAL_NAMESPACE", CLOUD_NAMESPACE);
    env.put("TEMPORAL_TLS_CLIENT_CERT_PATH", certificate[0].toString());
    env.put("TEMPORAL_TLS_CLIENT_KEY_PATH", certificate[1].toString());
    env.put("TEMPORAL_TLS_SERVER_CA_CERT_PATH", certificate[0].toString());
    env.put("TEMPORAL_TLS_SERVER_NAME", "temporal.internal");

    try (TemporalConnection connection = TemporalConnection.open(env, notice -> {})) {
      WorkflowServiceStubsOptions options = connection.stubs().getOptions();
      assertThat(connection.address()).isEqualTo(CLOUD_NAMESPACE + ".tmprl.cloud:7233");
      assertThat(options.getTarget()).isEqualTo(connection.address());
      assertThat(connection.client().getOptions().getNamespace()).isEqualTo(CLOUD_NAMESPACE);
      assertThat(options.getSslContext()).isNotNull();
      assertThat(options.getSslContext().isClient()).isTrue();
      assertThat(options.getChannelInitializer()).as("sets the TLS server name").isNotNull();
      assertThat(authorizations(options)).isEmpty();
    }
  }

  @Test
  void givenAnApiKey_whenOpened_itShouldSendItAsABearerTokenOverTls() {
    Map<String, String> env = baseEnv();
    env.put("TEMPORAL_ADDRESS", "us-east-1.aws.api.temporal.io:7233");
    env.put("TEMPORAL_NAMESPACE", CLOUD_NAMESPACE);
    env.put("TEMPORAL_API_KEY", TEST_API_KEY);

    try (TemporalConnection connection = TemporalConnection.open(env, notice -> {})) {
      WorkflowServiceStubsOptions options = connection.stubs().getOptions();
      assertThat(connection.address()).isEqualTo("us-east-1.aws.api.temporal.io:7233");
      assertThat(connection.namespace()).isEqualTo(CLOUD_NAMESPACE);
      assertThat(options.getEnableHttps()).isTrue();
      assertThat(authorizations(options)).containsExactly("Bearer " + TEST_API_KEY);
    }
  }

  @Test
  void givenAProfileFileAndTemporalProfile_whenOpened_itShouldUseThatProfilesMutualTls() throws Exception {
    Path[] certificate = selfSignedCertificate();
    Path config = tmp.resolve("temporal.toml");
    Files.writeString(config, """
        [profile.default]
        address = "127.0.0.1:7233"

        [profile.cloud]
        address = "%1$s.tmprl.cloud:7233"
        namespace = "%1$s"

        [profile.cloud.tls]
        client_cert_path = "%2$s"
        client_key_path = "%3$s"
        """.formatted(CLOUD_NAMESPACE, certificate[0], certificate[1]), StandardCharsets.UTF_8);
    Map<String, String> env = baseEnv();
    env.put("TEMPORAL_CONFIG_FILE", config.toString());
    env.put("TEMPORAL_PROFILE", "cloud");

    try (TemporalConnection connection = TemporalConnection.open(env, notice -> {})) {
      assertThat(connection.address()).isEqualTo(CLOUD_NAMESPACE + ".tmprl.cloud:7233");
      assertThat(connection.namespace()).isEqualTo(CLOUD_NAMESPACE);
      assertThat(connection.stubs().getOptions().getSslContext()).isNotNull();
    }
  }

  @Test
  void givenTemporalTlsWithoutCertificates_whenOpened_itShouldUseTlsTrustingTheSystemsAuthorities() {
    Map<String, String> env = baseEnv();
    env.put("TEMPORAL_ADDRESS", "temporal.example.com:7233");
    env.put("TEMPORAL_TLS", "true");

    try (TemporalConnection connection = TemporalConnection.open(env, notice -> {})) {
      assertThat(connection.stubs().getOptions().getSslContext()).isNotNull();
      assertThat(authorizations(connection.stubs().getOptions())).isEmpty();
    }
  }

  /** The authorization header values the connection adds to every call. */
  private static List<String> authorizations(WorkflowServiceStubsOptions options) {
    return options.getGrpcMetadataProviders().stream()
        .map(GrpcMetadataProvider::getMetadata)
        .map(metadata -> metadata.get(AuthorizationGrpcMetadataProvider.AUTHORIZATION_HEADER_KEY))
        .filter(value -> value != null)
        .toList();
  }

  private Map<String, String> baseEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("SILO_PAYLOAD_KEY", Base64.getEncoder().encodeToString(new byte[32]));
    // A profile file on the developer's machine must not change what these tests see.
    env.put("TEMPORAL_CONFIG_FILE", tmp.resolve("absent.toml").toString());
    return env;
  }

  /**
   * A throwaway self-signed certificate and its private key as PEM files, made with the JDK's own
   * keytool so that no key is committed. Returns the certificate's path, then the key's.
   */
  private Path[] selfSignedCertificate() throws Exception {
    Path keyStore = tmp.resolve("client.p12");
    char[] password = "test-only".toCharArray();
    Process keytool = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "client", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=silo-test-client", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
        "-storepass", new String(password), "-keypass", new String(password))
        .redirectErrorStream(true)
        .start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
    assertThat(keytool.exitValue()).as(output).isZero();

    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      store.load(in, password);
    }
    Certificate certificate = store.getCertificate("client");
    Path certificateFile = tmp.resolve("client.pem");
    Path keyFile = tmp.resolve("client.key");
    Files.writeString(certificateFile, pem("CERTIFICATE", certificate.getEncoded()));
    Files.writeString(keyFile, pem("PRIVATE KEY", store.getKey("client", password).getEncoded()));
    return new Path[] {certificateFile, keyFile};
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
