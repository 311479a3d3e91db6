package dev.inferpipe.ingress.correlation;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** The correlation id of one request: the reply's key and request-id header carry it back. */
public record RequestId(String value) {
  public RequestId {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("a request id must not be empty");
    }
  }

  /**
   * A fresh random (version 4 form) id. Drawn from {@link ThreadLocalRandom}, not {@link
   * UUID#randomUUID()}: these ids need uniqueness, not secrecy, and randomUUID's shared
   * SecureRandom held a dozen request threads in line under load.
   */
  public static RequestId random() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
    return new RequestId(new UUID(high, low).toString());
  }

  /**
   * A fresh id from {@link UUID#randomUUID()}'s SecureRandom, for async requests: whoever knows the
   * id can read the result, so it must not be guessable from ids seen before.
   */
  public static RequestId unguessable() {
    return new RequestId(UUID.randomUUID().toString());
  }

  @Override
  public String toString() {
    return value;
  }
}
