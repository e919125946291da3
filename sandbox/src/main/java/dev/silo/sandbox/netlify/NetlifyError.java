package dev.silo.sandbox.netlify;

/** An error the emulated API answers with, in Netlify's shape {@code {"code", "message"}}. */
final class NetlifyError extends RuntimeException {

  private final int status;

  NetlifyError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  int status() {
    return status;
  }

  static NetlifyError notFound() {
    return new NetlifyError(404, "Not Found");
  }
}
