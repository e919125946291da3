package dev.silo.worker.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The longest path through a dependency graph whose nodes take time: what a run could not be
 * shorter than if everything that may run side by side did, and nothing waited for anything else.
 *
 * @param length the summed weight of the path's nodes
 * @param nodes the path, first node first
 */
public record CriticalPath<K>(double length, List<K> nodes) {

  /**
   * The critical path of the graph.
   *
   * @param order every node, each after all the nodes it needs
   * @param weight each node's duration (a node without one weighs nothing)
   * @param needs each node's prerequisites (a node without an entry needs nothing)
   */
  public static <K> CriticalPath<K> of(List<K> order, Map<K, Double> weight, Map<K, List<K>> needs) {
    Map<K, Double> finish = new HashMap<>();
    Map<K, K> before = new HashMap<>();
    K last = null;
    for (K node : order) {
      K latest = null;
      for (K need : needs.getOrDefault(node, List.of())) {
        if (!finish.containsKey(need)) {
          throw new IllegalArgumentException(node + " needs " + need + ", which is not listed before it");
        }
        if (latest == null || finish.get(need) > finish.get(latest)) {
          latest = need;
        }
      }
      double start = latest == null ? 0 : finish.get(latest);
      if (latest != null) {
        before.put(node, latest);
      }
      double end = start + weight.getOrDefault(node, 0.0);
      finish.put(node, end);
      if (last == null || end > finish.get(last)) {
        last = node;
      }
    }
    if (last == null) {
      return new CriticalPath<>(0, List.of());
    }
    List<K> path = new ArrayList<>();
    for (K node = last; node != null; node = before.get(node)) {
      path.add(node);
    }
    Collections.reverse(path);
    return new CriticalPath<>(finish.get(last), List.copyOf(path));
  }
}
