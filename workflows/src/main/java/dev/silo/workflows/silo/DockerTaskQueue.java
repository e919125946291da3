package dev.silo.workflows.silo;

import dev.silo.workflows.TaskQueues;
import java.util.regex.Pattern;

/**
 * The task queue a silo's Docker activities go to, and the rule its name follows. Each container
 * engine host runs a worker polling its own queue; a silo names the engine that hosts it through
 * that queue, in its config directory's {@code silo.yml}, and a deployment request may override it.
 */
public final class DockerTaskQueue {

  /**
   * The longest name accepted. Temporal allows longer ones, but operators type these names on
   * command lines and in config files.
   */
  public static final int MAX_LENGTH = 200;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private DockerTaskQueue() {}

  /**
   * Tells why {@code name} cannot be a Docker task queue.
   *
   * @return the problem, worded to follow the name in a message, or null when the name is valid
   */
  public static String problem(String name) {
    if (name == null || name.isBlank()) {
      return "must name a task queue";
    }
    if (name.length() > MAX_LENGTH) {
      return "must be at most " + MAX_LENGTH + " characters long";
    }
    if (!NAME.matcher(name).matches()) {
      return "may hold only letters, digits, '.', '_' and '-', starting with a letter or digit";
    }
    return null;
  }

  /**
   * The queue a deployment uses: the request's explicit one, else the one the silo's config names,
   * else {@link TaskQueues#DOCKER}.
   *
   * @param requested the request's queue, null when the request names none
   * @param configured the config's queue, null when the config names none
   */
  public static String resolve(String requested, String configured) {
    if (requested != null) {
      return requested;
    }
    return configured != null ? configured : TaskQueues.DOCKER;
  }
}
