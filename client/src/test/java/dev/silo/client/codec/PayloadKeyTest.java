package dev.silo.client.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PayloadKeyTest {

  @TempDir Path home;

  private final List<String> notices = new ArrayList<>();

  @Test
  void givenSiloPayloadKey_whenResolved_itShouldUseItAndTouchNoFile() {
    byte[] bytes = randomBytes(32);
    Path file = home.resolve("never.key");

    PayloadKey key =
        PayloadKey.resolve(
            Map.of(
                "SILO_PAYLOAD_KEY", Base64.getEncoder().encodeToString(bytes),
                "SILO_PAYLOAD_KEY_FILE", file.toString()),
            notices::add);

    assertThat(key.key()).isEqualTo(bytes);
    assertThat(file).doesNotExist();
    assertThat(notices).isEmpty();
  }

  @Test
  void givenABadSiloPayloadKey_whenResolved_itShouldSayWhichVariableWithoutQuotingIt() {
    String tooShort = Base64.getEncoder().encodeToString(randomBytes(16));

    for (String bad : List.of(tooShort, "not base64 at all!")) {
      assertThatThrownBy(() -> PayloadKey.resolve(Map.of("SILO_PAYLOAD_KEY", bad), notices::add))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("SILO_PAYLOAD_KEY must be the base64 encoding of exactly 32 bytes")
          .hasMessageNotContaining(bad)
          .hasMessageNotContaining("\n");
    }
  }

  @Test
  void givenNoKeyFile_whenResolved_itShouldGenerateAPrivateFileAndSaySoOnce() throws Exception {
    Path file = home.resolve("fresh/.silo/payload.key");

    PayloadKey key = PayloadKey.resolve(Map.of("SILO_PAYLOAD_KEY_FILE", file.toString()), notices::add);

    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(file.getParent()))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThat(Base64.getDecoder().decode(Files.readString(file).strip())).isEqualTo(key.key());
    assertThat(notices).singleElement().asString().contains(file.toString()).contains(key.keyId());
    assertThat(notices.get(0)).doesNotContain(Base64.getEncoder().encodeToString(key.key()));
    try (var siblings = Files.list(file.getParent())) {
      assertThat(siblings).containsExactly(file);
    }
  }

  @Test
  void givenAKeyFileFromAnEarlierRun_whenResolved_itShouldReturnTheSameKeySilently() {
    Map<String, String> env = Map.of("SILO_PAYLOAD_KEY_FILE", home.resolve("k/payload.key").toString());
    PayloadKey first = PayloadKey.resolve(env, notices::add);
    notices.clear();

    PayloadKey second = PayloadKey.resolve(env, notices::add);

    assertThat(second).isEqualTo(first);
    assertThat(notices).isEmpty();
  }

  @Test
  void givenAKeyFileWithGarbage_whenResolved_itShouldNameTheFile() throws Exception {
    Path file = home.resolve("payload.key");
    Files.writeString(file, "garbage");

    assertThatThrownBy(
            () -> PayloadKey.resolve(Map.of("SILO_PAYLOAD_KEY_FILE", file.toString()), notices::add))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("key file " + file + " must be the base64 encoding");
  }

  @Test
  void givenNoSetting_whenResolved_itShouldUseDotSiloInTheHomeDirectory() {
    String realHome = System.getProperty("user.home");
    System.setProperty("user.home", home.toString());
    try {
      PayloadKey.resolve(Map.of(), notices::add);
    } finally {
      System.setProperty("user.home", realHome);
    }

    assertThat(home.resolve(".silo/payload.key")).isRegularFile();
  }

  private static byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }
}
