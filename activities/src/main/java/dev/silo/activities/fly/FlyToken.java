package dev.silo.activities.fly;

/**
 * The worker's Fly API token. It goes into the Authorization header and nowhere else: {@link
 * #toString()} hides it and {@link #mask} removes it from any text that could reach a log, an
 * exception or a workflow history.
 */
final class FlyToken {

  static final String MASK = "[FLY_API_TOKEN]";

  private final String value;

  private FlyToken(String value) {
    this.value = value;
  }

  /**
   * @throws IllegalArgumentException when the token is missing or blank (the message never holds a
   *     token)
   */
  static FlyToken of(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("the Fly API token is missing");
    }
    return new FlyToken(value.strip());
  }

  /**
   * The Authorization header's value. Macaroon tokens ({@code fm1r_}, {@code fm2_}; what {@code
   * fly tokens create} prints) go with Fly's own {@code FlyV1} scheme, older personal tokens with
   * {@code Bearer}.
   */
  String authorization() {
    return (isMacaroon() ? "FlyV1 " : "Bearer ") + value;
  }

  boolean isMacaroon() {
    return value.startsWith("fm1r_") || value.startsWith("fm2_");
  }

  /** The text with every occurrence of the token, or of one of its comma-separated parts, masked. */
  String mask(String text) {
    if (text == null) {
      return null;
    }
    String masked = text.replace(value, MASK);
    for (String part : value.split(",")) {
      if (part.length() >= 8) {
        masked = masked.replace(part.strip(), MASK);
      }
    }
    return masked;
  }

  @Override
  public String toString() {
    return "FlyToken[" + MASK + "]";
  }
}
