package dev.silo.activities.config;

import dev.silo.workflows.fly.FlyMachineConfig;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a parsed {@code fly.toml} to the Machines API's machine config the way {@code flyctl
 * deploy} maps it for an app's single process group, reporting every value of the wrong type or out
 * of range rather than stopping at the first:
 *
 * <ul>
 *   <li>{@code [http_service]} → a TCP service on its {@code internal_port} with port 80 (handler
 *       {@code http}, {@code force_https}) and port 443 (handlers {@code tls}, {@code http}),
 *       {@code autostop}, {@code autostart}, {@code min_machines_running}, {@code concurrency} and
 *       its {@code [[http_service.checks]]} as HTTP checks;
 *   <li>each {@code [[services]]} → a service with its ports (handlers, TLS, HTTP and proxy-protocol
 *       options kept) and its {@code tcp_checks} and {@code http_checks} as checks;
 *   <li>{@code [checks]} → the config's named checks (an HTTP check without a port checks the
 *       {@code http_service}'s internal port; a check without a type is HTTP when it has a path);
 *   <li>the first {@code [[vm]]} → {@code guest} ({@code cpu_kind}, default {@code shared};
 *       {@code cpus}, default 1; {@code memory} such as {@code "512mb"} or {@code "1gb"}, or {@code
 *       memory_mb}, default 256; or a {@code size} such as {@code shared-cpu-2x});
 *   <li>{@code kill_signal} and {@code kill_timeout} → {@code stop_config}.
 * </ul>
 *
 * <p>Not mapped: {@code [[mounts]]} (a volume must exist before a machine can mount it; the silo's
 * dev environment runs without one, so the pg machine's data lives as long as its root file
 * system), {@code [processes]}, {@code [deploy]}, {@code [[statics]]}, {@code [[files]]}, {@code
 * [metrics]}. {@code auto_stop_machines = "suspend"} is sent as {@code autostop = true}: the
 * 2024-01 API knows only stop or not.
 *
 * <p>Values arrive as the TOML parser made them or as they survived the trip through a workflow's
 * JSON payloads (an integer may come back as a long or a decimal).
 *
 * <p>It is one unit over 300 lines because it is one mapping, {@code fly.toml} to one machine
 * config as {@code flyctl deploy} does it; split, the defaults and the cross-references between
 * sections (a check's port, a vm's size) would be scattered.
 */
public final class FlyMachineConfigReader {

  /** Where a problem is found: a path such as {@code vm[0].memory} and what is wrong there. */
  @FunctionalInterface
  public interface Problems {
    void add(String path, String message);
  }

  private static final Pattern MEMORY = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(mb|m|mib|gb|g|gib)?");
  private static final Pattern SIZE = Pattern.compile("(shared|performance)-cpu-(\\d+)x");
  private static final Set<String> CPU_KINDS = Set.of("shared", "performance");
  private static final Set<String> CHECK_TYPES = Set.of("tcp", "http");
  private static final int DEFAULT_MEMORY_MB = 256;
  private static final int PERFORMANCE_MEMORY_MB_PER_CPU = 2048;
  private static final int MAX_PORT = 65_535;

  private final Problems problems;

  public FlyMachineConfigReader(Problems problems) {
    this.problems = problems;
  }

  /**
   * Maps the document; every problem goes to the sink, and the value at fault is left out.
   *
   * @param image the {@code [build] image}, already checked
   * @param env the {@code [env]}, already read as strings
   */
  public FlyMachineConfig read(Map<String, Object> document, String image, Map<String, String> env) {
    List<FlyMachineConfig.Service> services = new ArrayList<>();
    Map<String, Object> httpService = table(document.get("http_service"), "http_service");
    Integer defaultPort = null;
    if (!httpService.isEmpty()) {
      FlyMachineConfig.Service mapped = httpService(httpService);
      services.add(mapped);
      defaultPort = mapped.internalPort();
    }
    List<Map<String, Object>> tomlServices = tables(document.get("services"), "services");
    for (int i = 0; i < tomlServices.size(); i++) {
      services.add(service(tomlServices.get(i), element("services", document.get("services"), i)));
    }
    Map<String, FlyMachineConfig.Check> checks = new TreeMap<>();
    Map<String, Object> tomlChecks = table(document.get("checks"), "checks");
    for (Map.Entry<String, Object> check : tomlChecks.entrySet()) {
      String where = "checks." + check.getKey();
      checks.put(check.getKey(), topLevelCheck(table(check.getValue(), where), where, defaultPort));
    }
    return new FlyMachineConfig(image, env, guest(document.get("vm")), services, checks, stopConfig(document));
  }

  private FlyMachineConfig.StopConfig stopConfig(Map<String, Object> document) {
    String signal = string(document.get("kill_signal"), "kill_signal");
    Object killTimeout = document.get("kill_timeout");
    String timeout = null;
    if (killTimeout instanceof Number seconds) {
      Integer whole = integer(seconds, "kill_timeout");
      if (whole != null && whole < 0) {
        problems.add("kill_timeout", "kill_timeout must not be negative, not " + whole);
      } else if (whole != null) {
        timeout = whole + "s";
      }
    } else if (killTimeout != null) {
      timeout = string(killTimeout, "kill_timeout");
    }
    return signal == null && timeout == null ? null : new FlyMachineConfig.StopConfig(signal, timeout);
  }

  private FlyMachineConfig.Guest guest(Object vmValue) {
    List<Map<String, Object>> vms = tables(vmValue, "vm");
    Map<String, Object> vm = vms.isEmpty() ? Map.of() : vms.get(0);
    String where = vmValue instanceof List<?> ? "vm[0]" : "vm";
    String cpuKind = "shared";
    int cpus = 1;
    String size = string(vm.get("size"), where + ".size");
    if (size != null) {
      Matcher matcher = SIZE.matcher(size.toLowerCase(Locale.ROOT));
      if (matcher.matches()) {
        cpuKind = matcher.group(1);
        cpus = Integer.parseInt(matcher.group(2));
      } else {
        problems.add(where + ".size",
            where + ".size '" + size + "' is not a size such as shared-cpu-1x or performance-cpu-2x");
      }
    }
    int memoryMb = cpuKind.equals("performance") ? PERFORMANCE_MEMORY_MB_PER_CPU * cpus : DEFAULT_MEMORY_MB;
    String kind = string(vm.get("cpu_kind"), where + ".cpu_kind");
    if (kind != null && !CPU_KINDS.contains(kind)) {
      problems.add(where + ".cpu_kind", where + ".cpu_kind '" + kind + "' is not shared or performance");
    } else if (kind != null) {
      cpuKind = kind;
    }
    Integer cpuCount = positive(vm.get("cpus"), where + ".cpus");
    cpus = cpuCount != null ? cpuCount : cpus;
    Integer explicitMemory = positive(vm.get("memory_mb"), where + ".memory_mb");
    if (vm.get("memory") != null) {
      Integer memory = memoryMb(vm.get("memory"), where + ".memory");
      memoryMb = memory != null ? memory : memoryMb;
    } else if (explicitMemory != null) {
      memoryMb = explicitMemory;
    }
    return new FlyMachineConfig.Guest(cpuKind, cpus, memoryMb);
  }

  private Integer memoryMb(Object memory, String where) {
    if (memory instanceof Number) {
      return positive(memory, where);
    }
    if (!(memory instanceof String text)) {
      problems.add(where, where + " must be a size such as 512mb or 1gb, or a number of megabytes");
      return null;
    }
    Matcher matcher = MEMORY.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!matcher.matches()) {
      problems.add(where, where + " '" + text + "' is not a size such as 512mb or 1gb");
      return null;
    }
    BigDecimal amount = new BigDecimal(matcher.group(1));
    String unit = matcher.group(2) == null ? "mb" : matcher.group(2);
    if (unit.startsWith("g")) {
      amount = amount.multiply(BigDecimal.valueOf(1024));
    }
    if (amount.signum() <= 0) {
      problems.add(where, where + " '" + text + "' must be more than 0");
      return null;
    }
    return amount.intValue();
  }

  private FlyMachineConfig.Service httpService(Map<String, Object> toml) {
    String where = "http_service";
    Integer internalPort = port(toml.get("internal_port"), where + ".internal_port", true);
    List<FlyMachineConfig.Port> ports = new ArrayList<>();
    Boolean forceHttps = bool(toml.get("force_https"), where + ".force_https");
    FlyMachineConfig.HttpOptions httpOptions = httpOptions(toml.get("http_options"), where + ".http_options");
    FlyMachineConfig.TlsOptions tlsOptions = tlsOptions(toml.get("tls_options"), where + ".tls_options");
    ports.add(new FlyMachineConfig.Port(80, null, null, List.of("http"), Boolean.TRUE.equals(forceHttps) ? true : null,
        null, httpOptions, null));
    ports.add(new FlyMachineConfig.Port(443, null, null, List.of("tls", "http"), null, tlsOptions, httpOptions, null));
    List<FlyMachineConfig.Check> checks = new ArrayList<>();
    List<Map<String, Object>> httpChecks = tables(toml.get("checks"), where + ".checks");
    for (int i = 0; i < httpChecks.size(); i++) {
      checks.add(httpCheck(httpChecks.get(i), element(where + ".checks", toml.get("checks"), i)));
    }
    return new FlyMachineConfig.Service("tcp", internalPort, autoStop(toml.get("auto_stop_machines"),
        where + ".auto_stop_machines"), bool(toml.get("auto_start_machines"), where + ".auto_start_machines"),
        nonNegative(toml.get("min_machines_running"), where + ".min_machines_running"), ports,
        concurrency(toml.get("concurrency"), where + ".concurrency"), checks);
  }

  private FlyMachineConfig.Service service(Map<String, Object> toml, String where) {
    String protocol = string(toml.get("protocol"), where + ".protocol");
    Integer internalPort = port(toml.get("internal_port"), where + ".internal_port", true);
    List<FlyMachineConfig.Port> ports = new ArrayList<>();
    List<Map<String, Object>> tomlPorts = tables(toml.get("ports"), where + ".ports");
    for (int i = 0; i < tomlPorts.size(); i++) {
      ports.add(port(tomlPorts.get(i), element(where + ".ports", toml.get("ports"), i)));
    }
    List<FlyMachineConfig.Check> checks = new ArrayList<>();
    List<Map<String, Object>> tcpChecks = tables(toml.get("tcp_checks"), where + ".tcp_checks");
    for (int i = 0; i < tcpChecks.size(); i++) {
      String at = element(where + ".tcp_checks", toml.get("tcp_checks"), i);
      Map<String, Object> check = tcpChecks.get(i);
      checks.add(new FlyMachineConfig.Check("tcp", null, string(check.get("interval"), at + ".interval"),
          string(check.get("timeout"), at + ".timeout"), string(check.get("grace_period"), at + ".grace_period"),
          null, null, null, null, null, null));
    }
    List<Map<String, Object>> httpChecks = tables(toml.get("http_checks"), where + ".http_checks");
    for (int i = 0; i < httpChecks.size(); i++) {
      checks.add(httpCheck(httpChecks.get(i), element(where + ".http_checks", toml.get("http_checks"), i)));
    }
    return new FlyMachineConfig.Service(protocol == null ? "tcp" : protocol, internalPort,
        autoStop(toml.get("auto_stop_machines"), where + ".auto_stop_machines"),
        bool(toml.get("auto_start_machines"), where + ".auto_start_machines"),
        nonNegative(toml.get("min_machines_running"), where + ".min_machines_running"), ports,
        concurrency(toml.get("concurrency"), where + ".concurrency"), checks);
  }

  private FlyMachineConfig.Port port(Map<String, Object> toml, String where) {
    Boolean forceHttps = bool(toml.get("force_https"), where + ".force_https");
    return new FlyMachineConfig.Port(
        port(toml.get("port"), where + ".port", false),
        port(toml.get("start_port"), where + ".start_port", false),
        port(toml.get("end_port"), where + ".end_port", false),
        strings(toml.get("handlers"), where + ".handlers"),
        Boolean.TRUE.equals(forceHttps) ? true : null,
        tlsOptions(toml.get("tls_options"), where + ".tls_options"),
        httpOptions(toml.get("http_options"), where + ".http_options"),
        proxyProtoOptions(toml.get("proxy_proto_options"), where + ".proxy_proto_options"));
  }

  private FlyMachineConfig.TlsOptions tlsOptions(Object value, String where) {
    Map<String, Object> toml = table(value, where);
    if (toml.isEmpty()) {
      return null;
    }
    List<String> alpn = strings(toml.get("alpn"), where + ".alpn");
    List<String> versions = strings(toml.get("versions"), where + ".versions");
    return new FlyMachineConfig.TlsOptions(alpn.isEmpty() ? null : alpn, versions.isEmpty() ? null : versions,
        bool(toml.get("default_self_signed"), where + ".default_self_signed"));
  }

  private FlyMachineConfig.HttpOptions httpOptions(Object value, String where) {
    Map<String, Object> toml = table(value, where);
    if (toml.isEmpty()) {
      return null;
    }
    Map<String, Object> response = table(toml.get("response"), where + ".response");
    Map<String, Object> tomlHeaders = table(response.get("headers"), where + ".response.headers");
    Map<String, String> headers = null;
    if (!tomlHeaders.isEmpty()) {
      headers = new LinkedHashMap<>();
      for (Map.Entry<String, Object> header : tomlHeaders.entrySet()) {
        String text = string(header.getValue(), where + ".response.headers." + header.getKey());
        if (text != null) {
          headers.put(header.getKey(), text);
        }
      }
    }
    return new FlyMachineConfig.HttpOptions(bool(toml.get("compress"), where + ".compress"),
        bool(toml.get("h2_backend"), where + ".h2_backend"), headers);
  }

  private FlyMachineConfig.ProxyProtoOptions proxyProtoOptions(Object value, String where) {
    Map<String, Object> toml = table(value, where);
    return toml.isEmpty() ? null : new FlyMachineConfig.ProxyProtoOptions(string(toml.get("version"), where + ".version"));
  }

  private Boolean autoStop(Object value, String where) {
    if (value == null || value instanceof Boolean) {
      return (Boolean) value;
    }
    String mode = string(value, where);
    if (mode == null) {
      return null;
    }
    return switch (mode) {
      case "off" -> false;
      case "stop", "suspend" -> true;
      default -> {
        problems.add(where, where + " '" + mode + "' is not off, stop or suspend");
        yield null;
      }
    };
  }

  private FlyMachineConfig.Concurrency concurrency(Object value, String where) {
    Map<String, Object> toml = table(value, where);
    if (toml.isEmpty()) {
      return null;
    }
    return new FlyMachineConfig.Concurrency(string(toml.get("type"), where + ".type"),
        positive(toml.get("hard_limit"), where + ".hard_limit"), positive(toml.get("soft_limit"), where + ".soft_limit"));
  }

  private FlyMachineConfig.Check httpCheck(Map<String, Object> toml, String where) {
    return check("http", null, toml, where);
  }

  private FlyMachineConfig.Check topLevelCheck(Map<String, Object> toml, String where, Integer defaultPort) {
    String type = string(toml.get("type"), where + ".type");
    if (type != null && !CHECK_TYPES.contains(type)) {
      problems.add(where + ".type", where + ".type '" + type + "' is not tcp or http");
      type = null;
    }
    if (type == null) {
      type = toml.containsKey("path") ? "http" : "tcp";
    }
    Integer port = port(toml.get("port"), where + ".port", false);
    return check(type, port != null ? port : defaultPort, toml, where);
  }

  private FlyMachineConfig.Check check(String type, Integer port, Map<String, Object> toml, String where) {
    String interval = string(toml.get("interval"), where + ".interval");
    String timeout = string(toml.get("timeout"), where + ".timeout");
    String gracePeriod = string(toml.get("grace_period"), where + ".grace_period");
    if (!type.equals("http")) {
      return new FlyMachineConfig.Check(type, port, interval, timeout, gracePeriod, null, null, null, null, null, null);
    }
    List<FlyMachineConfig.HttpHeader> headers = new ArrayList<>();
    new TreeMap<>(table(toml.get("headers"), where + ".headers")).forEach((name, value) -> {
      List<String> values = value instanceof List<?> ? strings(value, where + ".headers." + name)
          : listOf(string(value, where + ".headers." + name));
      headers.add(new FlyMachineConfig.HttpHeader(name, values));
    });
    return new FlyMachineConfig.Check(type, port, interval, timeout, gracePeriod,
        string(toml.get("method"), where + ".method"), string(toml.get("path"), where + ".path"),
        string(toml.get("protocol"), where + ".protocol"), string(toml.get("tls_server_name"), where + ".tls_server_name"),
        bool(toml.get("tls_skip_verify"), where + ".tls_skip_verify"), headers);
  }

  private static List<String> listOf(String value) {
    return value == null ? List.of() : List.of(value);
  }

  /** The path of element {@code i} of a key that holds an array of tables, or one table. */
  private static String element(String where, Object value, int i) {
    return value instanceof List<?> ? where + "[" + i + "]" : where;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> table(Object value, String where) {
    if (value == null) {
      return Map.of();
    }
    if (value instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    problems.add(where, where + " must be a table");
    return Map.of();
  }

  /** An array of tables; a single table counts as one. */
  private List<Map<String, Object>> tables(Object value, String where) {
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

  private String string(Object value, String where) {
    if (value == null || value instanceof String) {
      return (String) value;
    }
    problems.add(where, where + " must be a string, not " + value);
    return null;
  }

  private List<String> strings(Object value, String where) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      problems.add(where, where + " must be a list of strings");
      return List.of();
    }
    List<String> strings = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String text = string(list.get(i), where + "[" + i + "]");
      if (text != null) {
        strings.add(text);
      }
    }
    return strings;
  }

  private Integer integer(Object value, String where) {
    if (value == null) {
      return null;
    }
    if (value instanceof Number number) {
      try {
        return new BigDecimal(number.toString()).intValueExact();
      } catch (ArithmeticException notAnInt) {
        problems.add(where, where + " must be an integer, not " + number);
        return null;
      }
    }
    problems.add(where, where + " must be an integer, not " + describe(value));
    return null;
  }

  private Integer positive(Object value, String where) {
    Integer number = integer(value, where);
    if (number != null && number <= 0) {
      problems.add(where, where + " must be more than 0, not " + number);
      return null;
    }
    return number;
  }

  private Integer nonNegative(Object value, String where) {
    Integer number = integer(value, where);
    if (number != null && number < 0) {
      problems.add(where, where + " must not be negative, not " + number);
      return null;
    }
    return number;
  }

  /**
   * A port number, 1 to 65535.
   *
   * @param required whether a missing port is itself a problem (a service must say where it
   *     listens)
   */
  private Integer port(Object value, String where, boolean required) {
    if (value == null && required) {
      problems.add(where, where + " is missing");
      return null;
    }
    Integer port = integer(value, where);
    if (port != null && (port < 1 || port > MAX_PORT)) {
      problems.add(where, where + " must be a port from 1 to " + MAX_PORT + ", not " + port);
      return null;
    }
    return port;
  }

  private Boolean bool(Object value, String where) {
    if (value == null || value instanceof Boolean) {
      return (Boolean) value;
    }
    problems.add(where, where + " must be true or false, not " + describe(value));
    return null;
  }

  private static String describe(Object value) {
    return value instanceof String text ? "'" + text + "'" : String.valueOf(value);
  }
}
