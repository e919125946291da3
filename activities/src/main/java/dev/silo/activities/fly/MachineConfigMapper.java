package dev.silo.activities.fly;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.config.FlyAppSpec;
import io.temporal.failure.ApplicationFailure;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a parsed {@code fly.toml} to a Machines API machine config the way {@code flyctl deploy}
 * maps it for an app's single process group:
 *
 * <ul>
 *   <li>{@code [build] image} → {@code image}; {@code [env]} → {@code env}, every value a string;
 *   <li>{@code [http_service]} → a TCP service on its {@code internal_port} with port 80 (handler
 *       {@code http}, {@code force_https}) and port 443 (handlers {@code tls}, {@code http}),
 *       {@code autostop}, {@code autostart}, {@code min_machines_running}, {@code concurrency} and
 *       its {@code [[http_service.checks]]} as HTTP checks;
 *   <li>each {@code [[services]]} → a service with its ports (handlers, TLS and HTTP options kept)
 *       and its {@code tcp_checks} and {@code http_checks} as checks;
 *   <li>{@code [checks]} → the config's named checks (an HTTP check without a port checks the
 *       {@code http_service}'s internal port);
 *   <li>the first {@code [[vm]]} → {@code guest} ({@code cpu_kind}, default {@code shared};
 *       {@code cpus}, default 1; {@code memory} such as {@code "512mb"} or {@code "1gb"}, or {@code
 *       memory_mb}, default 256; or a {@code size} such as {@code shared-cpu-2x});
 *   <li>{@code kill_signal} and {@code kill_timeout} → {@code stop_config};
 *   <li>{@code primary_region} → the create request's {@code region};
 *   <li>metadata {@code fly_platform_version = v2}, {@code fly_process_group = app}, as flyctl sets
 *       them, and {@value #CONFIG_HASH_KEY}.
 * </ul>
 *
 * <p>The request's secrets are merged into {@code env}, overriding a value of the same name: the
 * Machines API has no per-machine secrets (flyctl's {@code fly secrets} stores them on the app
 * through the GraphQL API and Fly injects them at boot). The consequence is that they are readable
 * in the machine's config by anyone holding a token for the organization; they never appear in a
 * log, an exception or the activity's result.
 *
 * <p>The config hash covers the whole config but the hash itself, secrets included, so a new
 * database password redeploys the machine. Not mapped: {@code [[mounts]]} (a volume must exist
 * before a machine can mount it; the silo's dev environment runs without one, so the pg machine's
 * data lives as long as its root file system), {@code [processes]}, {@code [deploy]}, {@code
 * [[statics]]}, {@code [[files]]}, {@code [metrics]}. {@code auto_stop_machines = "suspend"} is sent
 * as {@code autostop = true}: the 2024-01 API knows only stop or not.
 */
final class MachineConfigMapper {

  static final String CONFIG_HASH_KEY = "silo_config_hash";

  private static final Pattern MEMORY = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(mb|m|mib|gb|g|gib)?");
  private static final Pattern SIZE = Pattern.compile("(shared|performance)-cpu-(\\d+)x");
  private static final int DEFAULT_MEMORY_MB = 256;
  private static final int PERFORMANCE_MEMORY_MB_PER_CPU = 2048;

  private final ObjectMapper json;

  MachineConfigMapper(ObjectMapper json) {
    this.json = json;
  }

  /**
   * @throws ApplicationFailure {@code INVALID_CONFIG} (not retried) when the document holds a value
   *     of the wrong type or an unreadable size
   */
  MachinePlan plan(FlyAppSpec spec, Map<String, String> secrets) {
    Map<String, Object> document = spec.document();
    String file = spec.configFile() == null ? spec.service() + ".toml" : spec.configFile();
    Reader reader = new Reader(file);
    String image = spec.image() != null ? spec.image() : reader.string(reader.table(document.get("build"), "build").get("image"), "build.image");
    if (image == null || image.isBlank()) {
      throw reader.invalid("[build] image is missing");
    }
    ObjectNode config = json.createObjectNode().put("image", image);
    ObjectNode env = config.putObject("env");
    new TreeMap<>(spec.env()).forEach(env::put);
    new TreeMap<>(secrets).forEach(env::put);

    config.set("guest", guest(reader, document.get("vm")));

    ArrayNode services = json.createArrayNode();
    Map<String, Object> httpService = reader.table(document.get("http_service"), "http_service");
    if (!httpService.isEmpty()) {
      services.add(httpService(reader, httpService));
    }
    List<Map<String, Object>> tomlServices = reader.tables(document.get("services"), "services");
    for (int i = 0; i < tomlServices.size(); i++) {
      services.add(service(reader, tomlServices.get(i), "services[" + i + "]"));
    }
    if (!services.isEmpty()) {
      config.set("services", services);
    }

    Map<String, Object> checks = reader.table(document.get("checks"), "checks");
    if (!checks.isEmpty()) {
      ObjectNode named = config.putObject("checks");
      Integer defaultPort = reader.integer(httpService.get("internal_port"), "http_service.internal_port");
      new TreeMap<>(checks).forEach((name, check) ->
          named.set(name, topLevelCheck(reader, reader.table(check, "checks." + name), "checks." + name, defaultPort)));
    }

    ObjectNode stop = json.createObjectNode();
    String killSignal = reader.string(document.get("kill_signal"), "kill_signal");
    if (killSignal != null) {
      stop.put("signal", killSignal);
    }
    Object killTimeout = document.get("kill_timeout");
    if (killTimeout instanceof Number seconds) {
      stop.put("timeout", seconds.longValue() + "s");
    } else if (killTimeout != null) {
      stop.put("timeout", reader.string(killTimeout, "kill_timeout"));
    }
    if (!stop.isEmpty()) {
      config.set("stop_config", stop);
    }

    ObjectNode metadata = config.putObject("metadata")
        .put("fly_platform_version", "v2")
        .put("fly_process_group", "app");
    String hash = hash(config);
    metadata.put(CONFIG_HASH_KEY, hash);
    return new MachinePlan(spec.primaryRegion(), config, hash);
  }

  private ObjectNode guest(Reader reader, Object vmValue) {
    List<Map<String, Object>> vms = reader.tables(vmValue, "vm");
    Map<String, Object> vm = vms.isEmpty() ? Map.of() : vms.get(0);
    String cpuKind = "shared";
    int cpus = 1;
    String size = reader.string(vm.get("size"), "vm.size");
    if (size != null) {
      Matcher matcher = SIZE.matcher(size.toLowerCase(Locale.ROOT));
      if (!matcher.matches()) {
        throw reader.invalid("vm.size '" + size + "' is not a size such as shared-cpu-1x or performance-cpu-2x");
      }
      cpuKind = matcher.group(1);
      cpus = Integer.parseInt(matcher.group(2));
    }
    int memoryMb = cpuKind.equals("performance") ? PERFORMANCE_MEMORY_MB_PER_CPU * cpus : DEFAULT_MEMORY_MB;
    String kind = reader.string(vm.get("cpu_kind"), "vm.cpu_kind");
    cpuKind = kind != null ? kind : cpuKind;
    Integer cpuCount = reader.integer(vm.get("cpus"), "vm.cpus");
    cpus = cpuCount != null ? cpuCount : cpus;
    Integer explicitMemory = reader.integer(vm.get("memory_mb"), "vm.memory_mb");
    if (vm.get("memory") != null) {
      memoryMb = memoryMb(reader, vm.get("memory"));
    } else if (explicitMemory != null) {
      memoryMb = explicitMemory;
    }
    return json.createObjectNode().put("cpu_kind", cpuKind).put("cpus", cpus).put("memory_mb", memoryMb);
  }

  private static int memoryMb(Reader reader, Object memory) {
    if (memory instanceof Number megabytes) {
      return megabytes.intValue();
    }
    String text = reader.string(memory, "vm.memory");
    Matcher matcher = MEMORY.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!matcher.matches()) {
      throw reader.invalid("vm.memory '" + text + "' is not a size such as 512mb or 1gb");
    }
    BigDecimal amount = new BigDecimal(matcher.group(1));
    String unit = matcher.group(2) == null ? "mb" : matcher.group(2);
    if (unit.startsWith("g")) {
      amount = amount.multiply(BigDecimal.valueOf(1024));
    }
    return amount.intValue();
  }

  private ObjectNode httpService(Reader reader, Map<String, Object> toml) {
    ObjectNode service = json.createObjectNode().put("protocol", "tcp");
    putInteger(service, "internal_port", reader.integer(toml.get("internal_port"), "http_service.internal_port"));
    machineScaling(reader, toml, service, "http_service");
    ArrayNode ports = service.putArray("ports");
    ObjectNode http = ports.addObject().put("port", 80);
    http.putArray("handlers").add("http");
    if (Boolean.TRUE.equals(reader.bool(toml.get("force_https"), "http_service.force_https"))) {
      http.put("force_https", true);
    }
    ObjectNode https = ports.addObject().put("port", 443);
    https.putArray("handlers").add("tls").add("http");
    Map<String, Object> httpOptions = reader.table(toml.get("http_options"), "http_service.http_options");
    if (!httpOptions.isEmpty()) {
      http.set("http_options", json.valueToTree(httpOptions));
      https.set("http_options", json.valueToTree(httpOptions));
    }
    Map<String, Object> tlsOptions = reader.table(toml.get("tls_options"), "http_service.tls_options");
    if (!tlsOptions.isEmpty()) {
      https.set("tls_options", json.valueToTree(tlsOptions));
    }
    concurrency(reader, toml, service, "http_service");
    ArrayNode checks = json.createArrayNode();
    List<Map<String, Object>> httpChecks = reader.tables(toml.get("checks"), "http_service.checks");
    for (int i = 0; i < httpChecks.size(); i++) {
      checks.add(httpCheck(reader, httpChecks.get(i), "http_service.checks[" + i + "]"));
    }
    if (!checks.isEmpty()) {
      service.set("checks", checks);
    }
    return service;
  }

  private ObjectNode service(Reader reader, Map<String, Object> toml, String where) {
    String protocol = reader.string(toml.get("protocol"), where + ".protocol");
    ObjectNode service = json.createObjectNode().put("protocol", protocol == null ? "tcp" : protocol);
    putInteger(service, "internal_port", reader.integer(toml.get("internal_port"), where + ".internal_port"));
    machineScaling(reader, toml, service, where);
    List<Map<String, Object>> tomlPorts = reader.tables(toml.get("ports"), where + ".ports");
    if (!tomlPorts.isEmpty()) {
      ArrayNode ports = service.putArray("ports");
      for (int i = 0; i < tomlPorts.size(); i++) {
        ports.add(port(reader, tomlPorts.get(i), where + ".ports[" + i + "]"));
      }
    }
    concurrency(reader, toml, service, where);
    ArrayNode checks = json.createArrayNode();
    List<Map<String, Object>> tcpChecks = reader.tables(toml.get("tcp_checks"), where + ".tcp_checks");
    for (int i = 0; i < tcpChecks.size(); i++) {
      ObjectNode check = json.createObjectNode().put("type", "tcp");
      durations(reader, tcpChecks.get(i), check, where + ".tcp_checks[" + i + "]");
      checks.add(check);
    }
    List<Map<String, Object>> httpChecks = reader.tables(toml.get("http_checks"), where + ".http_checks");
    for (int i = 0; i < httpChecks.size(); i++) {
      checks.add(httpCheck(reader, httpChecks.get(i), where + ".http_checks[" + i + "]"));
    }
    if (!checks.isEmpty()) {
      service.set("checks", checks);
    }
    return service;
  }

  private ObjectNode port(Reader reader, Map<String, Object> toml, String where) {
    ObjectNode port = json.createObjectNode();
    putInteger(port, "port", reader.integer(toml.get("port"), where + ".port"));
    putInteger(port, "start_port", reader.integer(toml.get("start_port"), where + ".start_port"));
    putInteger(port, "end_port", reader.integer(toml.get("end_port"), where + ".end_port"));
    List<String> handlers = reader.strings(toml.get("handlers"), where + ".handlers");
    if (!handlers.isEmpty()) {
      ArrayNode array = port.putArray("handlers");
      handlers.forEach(array::add);
    }
    if (Boolean.TRUE.equals(reader.bool(toml.get("force_https"), where + ".force_https"))) {
      port.put("force_https", true);
    }
    for (String options : List.of("tls_options", "http_options", "proxy_proto_options")) {
      Map<String, Object> table = reader.table(toml.get(options), where + "." + options);
      if (!table.isEmpty()) {
        port.set(options, json.valueToTree(table));
      }
    }
    return port;
  }

  private static void machineScaling(Reader reader, Map<String, Object> toml, ObjectNode service, String where) {
    Object autoStop = toml.get("auto_stop_machines");
    if (autoStop != null) {
      service.put("autostop", autoStop(reader, autoStop, where + ".auto_stop_machines"));
    }
    Boolean autoStart = reader.bool(toml.get("auto_start_machines"), where + ".auto_start_machines");
    if (autoStart != null) {
      service.put("autostart", autoStart);
    }
    putInteger(service, "min_machines_running",
        reader.integer(toml.get("min_machines_running"), where + ".min_machines_running"));
  }

  private static boolean autoStop(Reader reader, Object value, String where) {
    if (value instanceof Boolean stop) {
      return stop;
    }
    String mode = reader.string(value, where);
    return switch (mode) {
      case "off" -> false;
      case "stop", "suspend" -> true;
      default -> throw reader.invalid(where + " '" + mode + "' is not off, stop or suspend");
    };
  }

  private void concurrency(Reader reader, Map<String, Object> toml, ObjectNode service, String where) {
    Map<String, Object> concurrency = reader.table(toml.get("concurrency"), where + ".concurrency");
    if (concurrency.isEmpty()) {
      return;
    }
    ObjectNode node = service.putObject("concurrency");
    String type = reader.string(concurrency.get("type"), where + ".concurrency.type");
    if (type != null) {
      node.put("type", type);
    }
    putInteger(node, "hard_limit", reader.integer(concurrency.get("hard_limit"), where + ".concurrency.hard_limit"));
    putInteger(node, "soft_limit", reader.integer(concurrency.get("soft_limit"), where + ".concurrency.soft_limit"));
  }

  private ObjectNode httpCheck(Reader reader, Map<String, Object> toml, String where) {
    ObjectNode check = json.createObjectNode().put("type", "http");
    durations(reader, toml, check, where);
    httpFields(reader, toml, check, where);
    return check;
  }

  private ObjectNode topLevelCheck(Reader reader, Map<String, Object> toml, String where, Integer defaultPort) {
    String type = reader.string(toml.get("type"), where + ".type");
    if (type == null) {
      type = toml.containsKey("path") ? "http" : "tcp";
    }
    ObjectNode check = json.createObjectNode().put("type", type);
    Integer port = reader.integer(toml.get("port"), where + ".port");
    putInteger(check, "port", port != null ? port : defaultPort);
    durations(reader, toml, check, where);
    if (type.equals("http")) {
      httpFields(reader, toml, check, where);
    }
    return check;
  }

  private static void durations(Reader reader, Map<String, Object> toml, ObjectNode check, String where) {
    for (String field : List.of("interval", "timeout", "grace_period")) {
      String duration = reader.string(toml.get(field), where + "." + field);
      if (duration != null) {
        check.put(field, duration);
      }
    }
  }

  private void httpFields(Reader reader, Map<String, Object> toml, ObjectNode check, String where) {
    for (String field : List.of("method", "path", "protocol", "tls_server_name")) {
      String value = reader.string(toml.get(field), where + "." + field);
      if (value != null) {
        check.put(field, value);
      }
    }
    Boolean skipVerify = reader.bool(toml.get("tls_skip_verify"), where + ".tls_skip_verify");
    if (skipVerify != null) {
      check.put("tls_skip_verify", skipVerify);
    }
    Map<String, Object> headers = reader.table(toml.get("headers"), where + ".headers");
    if (!headers.isEmpty()) {
      ArrayNode array = check.putArray("headers");
      new TreeMap<>(headers).forEach((name, value) -> {
        ObjectNode header = array.addObject().put("name", name);
        ArrayNode values = header.putArray("values");
        if (value instanceof List<?> list) {
          list.forEach(item -> values.add(String.valueOf(item)));
        } else {
          values.add(String.valueOf(value));
        }
      });
    }
  }

  private static void putInteger(ObjectNode node, String field, Integer value) {
    if (value != null) {
      node.put(field, value);
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

  /**
   * Reads values of the document, which arrive as the TOML parser made them or as they survived the
   * trip through the workflow's JSON payloads (an integer may come back as a long or a decimal).
   */
  private static final class Reader {
    private final String file;

    Reader(String file) {
      this.file = file;
    }

    ApplicationFailure invalid(String problem) {
      return ApplicationFailure.newNonRetryableFailure(file + ": " + problem, FailureType.INVALID_CONFIG.type());
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> table(Object value, String where) {
      if (value == null) {
        return Map.of();
      }
      if (value instanceof Map<?, ?> map) {
        return (Map<String, Object>) map;
      }
      throw invalid(where + " must be a table");
    }

    /** An array of tables; a single table counts as one. */
    List<Map<String, Object>> tables(Object value, String where) {
      if (value == null) {
        return List.of();
      }
      if (value instanceof List<?> list) {
        List<Map<String, Object>> tables = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
          tables.add(table(list.get(i), where + "[" + i + "]"));
        }
        return tables;
      }
      return List.of(table(value, where));
    }

    String string(Object value, String where) {
      if (value == null) {
        return null;
      }
      if (value instanceof String text) {
        return text;
      }
      throw invalid(where + " must be a string");
    }

    List<String> strings(Object value, String where) {
      if (value == null) {
        return List.of();
      }
      if (value instanceof List<?> list) {
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
          strings.add(string(list.get(i), where + "[" + i + "]"));
        }
        return strings;
      }
      throw invalid(where + " must be a list of strings");
    }

    Integer integer(Object value, String where) {
      if (value == null) {
        return null;
      }
      if (value instanceof Number number) {
        BigDecimal decimal = new BigDecimal(number.toString());
        try {
          return decimal.intValueExact();
        } catch (ArithmeticException notAnInt) {
          throw invalid(where + " must be an integer, not " + number);
        }
      }
      throw invalid(where + " must be an integer");
    }

    Boolean bool(Object value, String where) {
      if (value == null) {
        return null;
      }
      if (value instanceof Boolean bool) {
        return bool;
      }
      throw invalid(where + " must be true or false");
    }
  }
}
