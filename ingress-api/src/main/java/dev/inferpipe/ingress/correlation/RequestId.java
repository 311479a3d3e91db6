package dev.inferpipe.ingress.correlation;

import java.util.UUID;

/** The correlation id of one request: the reply's key and request-id header carry it back. */
public record RequestId(String value) {
  public RequestId {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("a request id must not be empty");
    }
  }

  public static RequestId random() {
    return new RequestId(UUID.randomUUID().toString());
  }

  @Override
  public String toString() {
    return value;
  }
}
