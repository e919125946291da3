package dev.silo.activities.fly;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.silo.activities.config.FlyMachineConfigReader;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.config.FlyAppSpec;
import dev.silo.workflows.fly.FlyMachineConfig;
import io.temporal.failure.ApplicationFailure;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a service's machine config, mapped from its {@code fly.toml} when the config was validated
 * ({@link FlyMachineConfigReader}), as the Machines API's JSON: the config, the create request's
 * {@code region} ({@code primary_region}) and metadata {@code fly_platform_version = v2}, {@code
 * fly_process_group = app}, as flyctl sets them, and {@value #CONFIG_HASH_KEY}.
 *
 * <p>The request's secrets are merged into {@code env}, overriding a value of the same name: the
 * Machines API has no per-machine secrets (flyctl's {@code fly secrets} stores them on the app
 * through the GraphQL API and Fly injects them at boot). The consequence is that they are readable
 * in the machine's config by anyone holding a token for the organization; they never appear in a
 * log, an exception or the activity's result.
 *
 * <p>The config hash covers the whole config but the hash itself, secrets included, so a new
 * database password redeploys the machine.
 */
final class MachineConfigMapper {

  static final String CONFIG_HASH_KEY = "silo_config_hash";

  private final ObjectMapper json;

  MachineConfigMapper(ObjectMapper json) {
    this.json = json;
  }

  /**
   * @throws ApplicationFailure {@code INVALID_CONFIG} (not retried) when the spec comes from a run
   *     validated before machine configs were mapped at validation and its document does not map
   */
  MachinePlan plan(FlyAppSpec spec, Map<String, String> secrets) {
    FlyMachineConfig machine = spec.machine() != null ? spec.machine() : fromDocument(spec);
    ObjectNode config = json.createObjectNode().put("image", machine.image());
    ObjectNode env = config.putObject("env");
    new TreeMap<>(machine.env()).forEach(env::put);
    new TreeMap<>(secrets).forEach(env::put);
    FlyMachineConfig.Guest guest = machine.guest();
    config.putObject("guest").put("cpu_kind", guest.cpuKind()).put("cpus", guest.cpus())
        .put("memory_mb", guest.memoryMb());
    if (!machine.services().isEmpty()) {
      ArrayNode services = config.putArray("services");
      machine.services().forEach(service -> services.add(service(service)));
    }
    if (!machine.checks().isEmpty()) {
      ObjectNode checks = config.putObject("checks");
      new TreeMap<>(machine.checks()).forEach((name, check) -> checks.set(name, check(check)));
    }
    if (machine.stopConfig() != null) {
      ObjectNode stop = config.putObject("stop_config");
      putText(stop, "signal", machine.stopConfig().signal());
      putText(stop, "timeout", machine.stopConfig().timeout());
    }
    ObjectNode metadata = config.putObject("metadata");
    metadata.put("fly_platform_version", "v2");
    metadata.put("fly_process_group", "app");
    String hash = hash(config);
    metadata.put(CONFIG_HASH_KEY, hash);
    return new MachinePlan(spec.primaryRegion(), config, hash);
  }

  /** Maps the raw document a run validated before this change carried in its history. */
  private static FlyMachineConfig fromDocument(FlyAppSpec spec) {
    String file = spec.configFile() == null ? spec.service() + ".toml" : spec.configFile();
    Map<String, Object> document = spec.document() == null ? Map.of() : spec.document();
    List<String> problems = new ArrayList<>();
    FlyMachineConfigReader.Problems sink = (path, message) -> problems.add(message);
    FlyMachineConfig machine = new FlyMachineConfigReader(sink).read(document, spec.image(), spec.env());
    if (machine.image() == null || machine.image().isBlank()) {
      problems.add("[build] image is missing");
    }
    if (!problems.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(file + ": " + String.join("; ", problems),
          FailureType.INVALID_CONFIG.type());
    }
    return machine;
  }

  private ObjectNode service(FlyMachineConfig.Service service) {
    ObjectNode node = json.createObjectNode().put("protocol", service.protocol());
    putInteger(node, "internal_port", service.internalPort());
    putBoolean(node, "autostop", service.autostop());
    putBoolean(node, "autostart", service.autostart());
    putInteger(node, "min_machines_running", service.minMachinesRunning());
    if (!service.ports().isEmpty()) {
      ArrayNode ports = node.putArray("ports");
      service.ports().forEach(port -> ports.add(port(port)));
    }
    FlyMachineConfig.Concurrency concurrency = service.concurrency();
    if (concurrency != null) {
      ObjectNode limits = node.putObject("concurrency");
      putText(limits, "type", concurrency.type());
      putInteger(limits, "hard_limit", concurrency.hardLimit());
      putInteger(limits, "soft_limit", concurrency.softLimit());
    }
    if (!service.checks().isEmpty()) {
      ArrayNode checks = node.putArray("checks");
      service.checks().forEach(check -> checks.add(check(check)));
    }
    return node;
  }

  private ObjectNode port(FlyMachineConfig.Port port) {
    ObjectNode node = json.createObjectNode();
    putInteger(node, "port", port.port());
    putInteger(node, "start_port", port.startPort());
    putInteger(node, "end_port", port.endPort());
    if (!port.handlers().isEmpty()) {
      ArrayNode handlers = node.putArray("handlers");
      port.handlers().forEach(handlers::add);
    }
    putBoolean(node, "force_https", port.forceHttps());
    if (port.tlsOptions() != null) {
      ObjectNode tls = node.putObject("tls_options");
      putStrings(tls, "alpn", port.tlsOptions().alpn());
      putStrings(tls, "versions", port.tlsOptions().versions());
      putBoolean(tls, "default_self_signed", port.tlsOptions().defaultSelfSigned());
    }
    if (port.httpOptions() != null) {
      ObjectNode http = node.putObject("http_options");
      putBoolean(http, "compress", port.httpOptions().compress());
      putBoolean(http, "h2_backend", port.httpOptions().h2Backend());
      if (port.httpOptions().responseHeaders() != null) {
        ObjectNode headers = http.putObject("response").putObject("headers");
        port.httpOptions().responseHeaders().forEach(headers::put);
      }
    }
    if (port.proxyProtoOptions() != null) {
      putText(node.putObject("proxy_proto_options"), "version", port.proxyProtoOptions().version());
    }
    return node;
  }

  private ObjectNode check(FlyMachineConfig.Check check) {
    ObjectNode node = json.createObjectNode().put("type", check.type());
    putInteger(node, "port", check.port());
    putText(node, "interval", check.interval());
    putText(node, "timeout", check.timeout());
    putText(node, "grace_period", check.gracePeriod());
    putText(node, "method", check.method());
    putText(node, "path", check.path());
    putText(node, "protocol", check.protocol());
    putText(node, "tls_server_name", check.tlsServerName());
    putBoolean(node, "tls_skip_verify", check.tlsSkipVerify());
    if (!check.headers().isEmpty()) {
      ArrayNode headers = node.putArray("headers");
      check.headers().forEach(header -> {
        ObjectNode entry = headers.addObject().put("name", header.name());
        ArrayNode values = entry.putArray("values");
        header.values().forEach(values::add);
      });
    }
    return node;
  }

  private static void putInteger(ObjectNode node, String field, Integer value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  private static void putBoolean(ObjectNode node, String field, Boolean value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  private static void putText(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  private static void putStrings(ObjectNode node, String field, List<String> values) {
    if (values != null) {
      ArrayNode array = node.putArray(field);
      values.forEach(array::add);
    }
  }

  /** SHA-256 of the config's JSON with every object's fields in name order. */
  private String hash(ObjectNode config) {
    try {
      byte[] canonical = json.writeValueAsBytes(canonical(config));
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("hashing a JSON tree with SHA-256 cannot fail", e);
    }
  }

  private JsonNode canonical(JsonNode node) {
    if (node.isObject()) {
      ObjectNode sorted = json.createObjectNode();
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      names.stream().sorted().forEach(name -> sorted.set(name, canonical(node.get(name))));
      return sorted;
    }
    if (node.isArray()) {
      ArrayNode array = json.createArrayNode();
      node.forEach(item -> array.add(canonical(item)));
      return array;
    }
    return node;
  }
}
