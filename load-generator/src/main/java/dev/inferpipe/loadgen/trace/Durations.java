package dev.inferpipe.loadgen.trace;

import java.time.Duration;
import java.util.Locale;

/**
 * Parses durations as people write them: {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, or ISO
 * {@code PT1M}.
 */
public final class Durations {
  private Durations() {}

  public static Duration parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("p")) {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      }
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      if (t.endsWith("s")) {
        return Duration.ofMillis(
            Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
      }
      if (t.endsWith("m")) {
        return Duration.ofMillis(
            Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000));
      }
      if (t.endsWith("h")) {
        return Duration.ofMillis(
            Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 3_600_000));
      }
    } catch (RuntimeException e) {
      // the message below says what is expected
    }
    throw new IllegalArgumentException(
        "a duration must look like 500ms, 30s, 2m, 1h or PT1M, was '" + text + "'");
  }
}
