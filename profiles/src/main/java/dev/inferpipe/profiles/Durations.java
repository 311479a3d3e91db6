package dev.inferpipe.profiles;

import java.time.Duration;

/**
 * Writes durations the way profiles and Spring Boot settings spell them: {@code 5ms}, {@code 10s}.
 */
final class Durations {
  private Durations() {}

  static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 60_000 == 0 && millis > 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1000 == 0 && millis > 0) {
      return millis / 1000 + "s";
    }
    return millis + "ms";
  }

  /** Whole seconds, rounded up. */
  static long seconds(Duration duration) {
    return (duration.toMillis() + 999) / 1000;
  }
}
