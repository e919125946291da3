package dev.silo.activities;

import java.util.Objects;

/**
 * A token, key or password from the worker's environment. Its {@link #toString} never shows the
 * value, so a settings record holding one can be logged or printed; only {@link #reveal} gives it,
 * to the client that sends it.
 */
public final class Secret {

  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /** @throws IllegalArgumentException when {@code value} is null or blank */
  public static Secret of(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("A secret is blank");
    }
    return new Secret(value);
  }

  /** The value itself, for the one place that sends it. */
  public String reveal() {
    return value;
  }

  /**
   * A URL or path as messages may show it: the user-info part of a URL, where a password or token
   * may have been pasted, replaced by {@code ***}.
   */
  public static String withoutUrlCredentials(String text) {
    return text == null ? null : text.replaceAll("(?<=://)[^/@\\s]+@", "***@");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Secret secret && secret.value.equals(value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(value);
  }

  @Override
  public String toString() {
    return "(secret)";
  }
}
