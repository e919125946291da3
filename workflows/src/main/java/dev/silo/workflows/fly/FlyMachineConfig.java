package dev.silo.workflows.fly;

import java.util.List;
import java.util.Map;

/**
 * A machine's config as the Fly Machines API ({@code api.MachineConfig}, 2024-01) takes it, mapped
 * from an app's {@code fly.toml} while the config is validated, so that a value of the wrong type
 * stops the run before its plan is shown. The secrets and the metadata are added at deploy time;
 * only the fields a {@code fly.toml} can set are here. Absent values are null, and the API leaves
 * them at Fly's defaults.
 *
 * @param image {@code image}
 * @param env {@code env}, every value a string
 * @param guest {@code guest}
 * @param services {@code services}, the {@code [http_service]} first, then each {@code
 *     [[services]]}
 * @param checks {@code checks}, by name
 * @param stopConfig {@code stop_config}, or null when the file sets neither signal nor timeout
 */
public record FlyMachineConfig(
    String image,
    Map<String, String> env,
    Guest guest,
    List<Service> services,
    Map<String, Check> checks,
    StopConfig stopConfig) {

  public FlyMachineConfig {
    env = env == null ? Map.of() : env;
    services = services == null ? List.of() : List.copyOf(services);
    checks = checks == null ? Map.of() : checks;
  }

  /** {@code api.MachineGuest}. */
  public record Guest(String cpuKind, int cpus, int memoryMb) {}

  /** {@code api.MachineService}. */
  public record Service(
      String protocol,
      Integer internalPort,
      Boolean autostop,
      Boolean autostart,
      Integer minMachinesRunning,
      List<Port> ports,
      Concurrency concurrency,
      List<Check> checks) {

    public Service {
      ports = ports == null ? List.of() : List.copyOf(ports);
      checks = checks == null ? List.of() : List.copyOf(checks);
    }
  }

  /** {@code api.MachinePort}. */
  public record Port(
      Integer port,
      Integer startPort,
      Integer endPort,
      List<String> handlers,
      Boolean forceHttps,
      TlsOptions tlsOptions,
      HttpOptions httpOptions,
      ProxyProtoOptions proxyProtoOptions) {

    public Port {
      handlers = handlers == null ? List.of() : List.copyOf(handlers);
    }
  }

  /** {@code api.TLSOptions}. */
  public record TlsOptions(List<String> alpn, List<String> versions, Boolean defaultSelfSigned) {}

  /**
   * {@code api.HTTPOptions}.
   *
   * @param responseHeaders {@code response.headers}, or null
   */
  public record HttpOptions(Boolean compress, Boolean h2Backend, Map<String, String> responseHeaders) {}

  /** {@code api.ProxyProtoOptions}. */
  public record ProxyProtoOptions(String version) {}

  /** {@code api.MachineServiceConcurrency}. */
  public record Concurrency(String type, Integer hardLimit, Integer softLimit) {}

  /** {@code api.MachineCheck}; the HTTP fields are null for a TCP check. */
  public record Check(
      String type,
      Integer port,
      String interval,
      String timeout,
      String gracePeriod,
      String method,
      String path,
      String protocol,
      String tlsServerName,
      Boolean tlsSkipVerify,
      List<HttpHeader> headers) {

    public Check {
      headers = headers == null ? List.of() : List.copyOf(headers);
    }
  }

  /** {@code api.MachineHTTPHeader}. */
  public record HttpHeader(String name, List<String> values) {}

  /** {@code api.StopConfig}. */
  public record StopConfig(String signal, String timeout) {}
}
