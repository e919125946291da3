package dev.silo.workflows.signing;

/** An allowed-signers file that does not parse; the message is {@code file:line: problem}. */
public class AllowedSignersException extends Exception {

  public AllowedSignersException(String message) {
    super(message);
  }
}
