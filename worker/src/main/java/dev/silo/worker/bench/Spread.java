package dev.silo.worker.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Minimum, median, 95th percentile and maximum of some values, by the nearest-rank method: the
 * p-th percentile of n sorted values is the value of rank ⌈p·n/100⌉, always one of the values.
 *
 * @param count how many values there were
 */
public record Spread(int count, double min, double median, double p95, double max) {

  /** The spread of {@code values}; all zero for none. */
  public static Spread of(List<Double> values) {
    if (values.isEmpty()) {
      return new Spread(0, 0, 0, 0, 0);
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return new Spread(sorted.size(), sorted.get(0), percentile(sorted, 50), percentile(sorted, 95),
        sorted.get(sorted.size() - 1));
  }

  /** The nearest-rank {@code p}-th percentile of {@code sorted}, which holds at least one value. */
  static double percentile(List<Double> sorted, double p) {
    int rank = (int) Math.ceil(p / 100 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  /** Per key, the median of its values. */
  public static Map<String, Double> medians(Map<String, List<Double>> values) {
    Map<String, Double> medians = new TreeMap<>();
    values.forEach((key, each) -> medians.put(key, of(each).median()));
    return medians;
  }
}
