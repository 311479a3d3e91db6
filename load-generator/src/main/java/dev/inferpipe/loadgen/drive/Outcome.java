package dev.inferpipe.loadgen.drive;

/**
 * How one request ended: its HTTP status (or the status its error code maps to, for Kafka) and the
 * contract's error code; or, with status 0, a failure before any answer, such as {@code
 * connect-error (Connection refused)}. {@code retried}: it was sent a second time, once, because
 * the keep-alive connection it first went out on had been closed by the server.
 */
public record Outcome(int status, String errorCode, boolean retried) {
  public static final Outcome OK = new Outcome(200, null);

  public Outcome(int status, String errorCode) {
    this(status, errorCode, false);
  }

  public boolean ok() {
    return status == 200;
  }

  public Outcome withRetried() {
    return new Outcome(status, errorCode, true);
  }

  /**
   * A label for error counts that names the error: {@code "429 TOO_MANY_REQUESTS"}, {@code "HTTP
   * 500"}, {@code "connect-error (Connection refused)"}.
   */
  public String label() {
    if (status == 0) {
      return errorCode == null ? "no-answer" : errorCode;
    }
    return errorCode == null ? "HTTP " + status : status + " " + errorCode;
  }
}
