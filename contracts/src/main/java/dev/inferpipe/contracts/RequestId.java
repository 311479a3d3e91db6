package dev.inferpipe.contracts;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The correlation id of one request. The ingress draws it and sends it in the request record's
 * {@link InferenceHeaders#REQUEST_ID} header and key; the worker answers under it, in the reply's
 * header and key, and so do its rejections. On the wire it is the plain string {@link #value()}.
 */
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

  /**
   * The id a reply or result record carries: its {@link InferenceHeaders#REQUEST_ID} header, else
   * its key; null when neither says.
   */
  public static RequestId carried(String header, String key) {
    if (header != null && !header.isEmpty()) {
      return new RequestId(header);
    }
    return key == null || key.isEmpty() ? null : new RequestId(key);
  }

  @Override
  public String toString() {
    return value;
  }
}
