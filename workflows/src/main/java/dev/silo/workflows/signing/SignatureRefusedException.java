package dev.silo.workflows.signing;

/** A signature that does not verify; the message says why in one line, fit for the person who sent it. */
public class SignatureRefusedException extends Exception {

  public SignatureRefusedException(String message) {
    super(message);
  }
}
