package dev.silo.starter.signing;

/** The CLI cannot sign: no key, a key it cannot read, an agent that refuses. One line, for the user. */
public class SigningException extends Exception {

  public SigningException(String message) {
    super(message);
  }

  public SigningException(String message, Throwable cause) {
    super(message, cause);
  }
}
