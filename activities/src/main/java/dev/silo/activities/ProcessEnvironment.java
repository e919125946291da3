package dev.silo.activities;

import java.util.Map;
import java.util.Optional;

/**
 * The worker's environment where it is passed on rather than configured: the variables a command
 * step or a webhook names by reference, the password variables of a release's databases, and
 * {@code PATH} for the programs the activities start. Its {@link #toString} shows how many variables
 * it holds, never their values.
 */
public final class ProcessEnvironment {

  private final Map<String, String> variables;

  public ProcessEnvironment(Map<String, String> variables) {
    this.variables = Map.copyOf(variables);
  }

  /** The variables, unmodifiable. */
  public Map<String, String> variables() {
    return variables;
  }

  /** A variable's value, or empty when it is unset. */
  public Optional<String> get(String name) {
    return Optional.ofNullable(variables.get(name));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ProcessEnvironment environment && environment.variables.equals(variables);
  }

  @Override
  public int hashCode() {
    return variables.hashCode();
  }

  @Override
  public String toString() {
    return "ProcessEnvironment[" + variables.size() + " variables, values not shown]";
  }
}
