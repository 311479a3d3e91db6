package dev.inferpipe.loadgen.drive;

/**
 * How one request ended: its HTTP status (or the status its error code maps to, for Kafka), and the
 * contract's error code, or a transport failure such as {@code connect-error}.
 */
public record Outcome(int status, String errorCode) {
  public static final Outcome OK = new Outcome(200, null);

  public boolean ok() {
    return status == 200;
  }

  /** A label for error counts: {@code "429 TOO_MANY_REQUESTS"}, {@code "0 timeout"}. */
  public String label() {
    return errorCode == null ? Integer.toString(status) : status + " " + errorCode;
  }
}
