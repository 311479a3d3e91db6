package dev.inferpipe.contracts;

/**
 * Why a request failed. The same code travels in a reply's {@code error_code} field and in the
 * {@link InferenceHeaders#ERROR_CODE} header. Each code has one HTTP status, part of the contract:
 * the ingress answers it on both of its APIs (its {@code ErrorResponses} is the one place that
 * turns an error into an HTTP answer), and a direct Kafka caller can read it from the code.
 */
public enum ErrorCode {
  INVALID_REQUEST(400),
  INVALID_INPUT(400),
  UNAUTHENTICATED(401),
  FORBIDDEN(403),
  MODEL_NOT_FOUND(404),
  /** An async request id this ingress does not know, or whose result has expired. */
  REQUEST_NOT_FOUND(404),
  PAYLOAD_TOO_LARGE(413),
  TOO_MANY_REQUESTS(429),
  INFERENCE_FAILED(500),
  INTERNAL(500),
  BROKER_UNAVAILABLE(503),
  /** A known model that no live worker serves now: its workers stopped or stopped announcing. */
  MODEL_UNAVAILABLE(503),
  DEADLINE_EXCEEDED(504);

  private final int httpStatus;

  ErrorCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** Parses a code from a header or a reply; unknown or missing codes read as {@link #INTERNAL}. */
  public static ErrorCode fromWire(String name) {
    if (name != null) {
      for (ErrorCode code : values()) {
        if (code.name().equals(name)) {
          return code;
        }
      }
    }
    return INTERNAL;
  }
}
