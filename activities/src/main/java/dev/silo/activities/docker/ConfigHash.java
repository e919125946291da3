package dev.silo.activities.docker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.silo.workflows.config.ComposeService;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The value of a container's {@code com.docker.compose.config-hash} label: the SHA-256, in hex, of
 * a canonical JSON of the whole {@link ComposeService} (properties and map keys sorted, durations
 * in ISO-8601). A container whose label differs from its service's hash is recreated.
 *
 * <p>Compose hashes its own in-memory service model, which we do not have, so the two hashes never
 * match each other: a container made by {@code docker compose up} is recreated by us and vice
 * versa. The inputs are the same service keys, except that ours also covers {@code depends_on},
 * which Compose leaves out; a changed dependency therefore recreates the container, which keeps its
 * {@code com.docker.compose.depends_on} label true.
 */
final class ConfigHash {

  private static final ObjectMapper CANONICAL =
      JsonMapper.builder()
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .addModule(new SimpleModule().addSerializer(Duration.class, ToStringSerializer.instance))
          .build();

  private ConfigHash() {}

  static String of(ComposeService service) {
    try {
      byte[] json = CANONICAL.writeValueAsString(service).getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      // Every JVM has SHA-256 and the record holds only strings, lists, maps and durations.
      throw new IllegalStateException("cannot hash service " + service.name(), e);
    }
  }
}
