package dev.silo.activities.docker;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One container port published on the host, from Compose's short syntax {@code
 * [IP:][HOST:]CONTAINER[/PROTOCOL]}, where HOST and CONTAINER may be ranges ({@code 8000-8001}).
 *
 * @param hostIp the host address to bind, or null for all
 * @param hostPort the host port or port range, or null for one the engine picks
 * @param containerPort the container port
 * @param protocol {@code tcp}, {@code udp} or {@code sctp}
 */
record PublishedPort(String hostIp, String hostPort, int containerPort, String protocol) {

  /**
   * Parses one {@code ports} entry. A container range becomes one port per container port, paired
   * with the host range when it has the same length, as Compose pairs them.
   *
   * @throws IllegalArgumentException when the entry is not Compose's short syntax
   */
  static List<PublishedPort> parse(String entry) {
    String rest = entry;
    String protocol = "tcp";
    int slash = rest.lastIndexOf('/');
    if (slash >= 0) {
      protocol = rest.substring(slash + 1).toLowerCase(Locale.ROOT);
      rest = rest.substring(0, slash);
      if (!List.of("tcp", "udp", "sctp").contains(protocol)) {
        throw invalid(entry);
      }
    }
    String hostIp = null;
    if (rest.startsWith("[")) {
      int close = rest.indexOf("]:");
      if (close < 0) {
        throw invalid(entry);
      }
      hostIp = rest.substring(1, close);
      rest = rest.substring(close + 2);
    }
    String[] parts = rest.split(":", -1);
    String hostPort;
    String containerPort;
    if (parts.length == 1) {
      hostPort = null;
      containerPort = parts[0];
    } else if (parts.length == 2) {
      hostPort = parts[0];
      containerPort = parts[1];
    } else if (parts.length == 3 && hostIp == null) {
      hostIp = parts[0];
      hostPort = parts[1];
      containerPort = parts[2];
    } else {
      throw invalid(entry);
    }
    hostIp = hostIp == null || hostIp.isEmpty() ? null : hostIp;
    hostPort = hostPort == null || hostPort.isEmpty() ? null : hostPort;
    int[] containerRange = range(containerPort, entry);
    int count = containerRange[1] - containerRange[0] + 1;
    int[] hostRange = hostPort == null ? null : range(hostPort, entry);
    List<PublishedPort> ports = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String host;
      if (hostRange == null) {
        host = null;
      } else if (count == 1) {
        host = hostPort;
      } else if (hostRange[1] - hostRange[0] + 1 == count) {
        host = Integer.toString(hostRange[0] + i);
      } else {
        throw invalid(entry);
      }
      ports.add(new PublishedPort(hostIp, host, containerRange[0] + i, protocol));
    }
    return ports;
  }

  private static int[] range(String text, String entry) {
    String[] bounds = text.split("-", -1);
    if (bounds.length > 2) {
      throw invalid(entry);
    }
    try {
      int low = Integer.parseInt(bounds[0]);
      int high = bounds.length == 2 ? Integer.parseInt(bounds[1]) : low;
      if (low < 1 || high > 65535 || high < low) {
        throw invalid(entry);
      }
      return new int[] {low, high};
    } catch (NumberFormatException e) {
      throw invalid(entry);
    }
  }

  private static IllegalArgumentException invalid(String entry) {
    return new IllegalArgumentException(
        "port '" + entry + "' is not [IP:][HOST:]CONTAINER[/PROTOCOL]");
  }
}
