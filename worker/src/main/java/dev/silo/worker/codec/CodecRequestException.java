package dev.silo.worker.codec;

/** A request the codec endpoint refuses, with the HTTP status and the one-line reason it answers. */
final class CodecRequestException extends Exception {

  private static final long serialVersionUID = 1L;

  private final int status;

  CodecRequestException(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }
}
