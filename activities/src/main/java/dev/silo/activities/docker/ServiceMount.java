package dev.silo.activities.docker;

/**
 * One {@code volumes} entry of a service, in Compose's short syntax {@code SOURCE:TARGET[:MODE]} or
 * {@code TARGET}.
 *
 * @param kind what the source is
 * @param source the volume's name in the Compose file (not yet prefixed with the project), the
 *     absolute host path of a bind, or null for an anonymous volume
 * @param target the absolute path inside the container
 * @param mode the mode ({@code ro}, {@code rw}, {@code ro,z}, ...), or null
 */
record ServiceMount(Kind kind, String source, String target, String mode) {

  /** The three kinds of source the short syntax has. */
  enum Kind {
    /** A volume declared under the Compose file's top-level {@code volumes}. */
    NAMED,
    /** A host path; the config loader has already made it absolute. */
    BIND,
    /** No source: the engine makes a volume that belongs to the container. */
    ANONYMOUS
  }

  /**
   * @throws IllegalArgumentException when the entry is not Compose's short syntax with an absolute
   *     target, or a bind source is not absolute
   */
  static ServiceMount parse(String entry) {
    String[] parts = entry.split(":", -1);
    if (parts.length > 3 || parts.length == 0 || parts[0].isEmpty()) {
      throw invalid(entry);
    }
    if (parts.length == 1) {
      return checked(new ServiceMount(Kind.ANONYMOUS, null, parts[0], null), entry);
    }
    String mode = parts.length == 3 && !parts[2].isEmpty() ? parts[2] : null;
    String source = parts[0];
    if (source.startsWith(".") || source.startsWith("~")) {
      throw new IllegalArgumentException(
          "volume '" + entry + "': a bind source must be an absolute path on the engine's host");
    }
    Kind kind = source.startsWith("/") ? Kind.BIND : Kind.NAMED;
    return checked(new ServiceMount(kind, source, parts[1], mode), entry);
  }

  private static ServiceMount checked(ServiceMount mount, String entry) {
    if (!mount.target().startsWith("/")) {
      throw invalid(entry);
    }
    return mount;
  }

  private static IllegalArgumentException invalid(String entry) {
    return new IllegalArgumentException(
        "volume '" + entry + "' is not SOURCE:TARGET[:MODE] with an absolute TARGET");
  }
}
