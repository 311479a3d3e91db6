package dev.inferpipe.profiles;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one mapping of a profile file field by field, recording every problem (missing, wrong type,
 * out of range) under the field's dotted path instead of stopping at the first. Keys that no read
 * asked for are reported by {@link #rejectUnknownKeys()}.
 */
final class ProfileSection {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)");

  private final String path;
  private final Map<?, ?> values;
  private final List<String> problems;
  private final Set<String> known = new LinkedHashSet<>();

  ProfileSection(String path, Map<?, ?> values, List<String> problems) {
    this.path = path;
    this.values = values;
    this.problems = problems;
  }

  /** A nested mapping; a missing or non-mapping value is a problem and reads as empty. */
  ProfileSection section(String key) {
    Object value = value(key);
    if (value == null) {
      return new ProfileSection(field(key), Map.of(), problems);
    }
    if (!(value instanceof Map<?, ?> map)) {
      problems.add(field(key) + " must be a mapping, was " + describe(value));
      return new ProfileSection(field(key), Map.of(), problems);
    }
    return new ProfileSection(field(key), map, problems);
  }

  /** A whole number in {@code [min, max]}; reads as {@code min} when it is not one. */
  int integer(String key, int min, int max) {
    Object value = value(key);
    if (value == null) {
      return min;
    }
    if (!(value instanceof Integer number)) {
      problems.add(field(key) + " must be a whole number, was " + describe(value));
      return min;
    }
    if (number < min || number > max) {
      problems.add(field(key) + " must be between " + min + " and " + max + ", was " + number);
    }
    return number;
  }

  /** A duration written as {@code 250ms}, {@code 10s} or {@code 2m}, in {@code [min, max]}. */
  Duration duration(String key, Duration min, Duration max) {
    Object value = value(key);
    if (value == null) {
      return min;
    }
    Matcher matcher = DURATION.matcher(String.valueOf(value));
    if (!(value instanceof String) || !matcher.matches()) {
      problems.add(
          field(key) + " must be a duration such as 5ms, 10s or 2m, was " + describe(value));
      return min;
    }
    long amount = Long.parseLong(matcher.group(1));
    Duration duration =
        switch (matcher.group(2)) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          default -> Duration.ofMinutes(amount);
        };
    if (duration.compareTo(min) < 0 || duration.compareTo(max) > 0) {
      problems.add(
          field(key)
              + " must be between "
              + Durations.format(min)
              + " and "
              + Durations.format(max)
              + ", was "
              + value);
    }
    return duration;
  }

  /** A string matching {@code pattern}; {@code expected} says in words what that means. */
  String text(String key, Pattern pattern, String expected) {
    Object value = value(key);
    if (value == null) {
      return "";
    }
    String text = String.valueOf(value);
    if (!(value instanceof String || value instanceof Integer)
        || !pattern.matcher(text).matches()) {
      problems.add(field(key) + " must be " + expected + ", was " + describe(value));
    }
    return text;
  }

  /** Reports each key of this mapping that no read asked for. */
  void rejectUnknownKeys() {
    for (Object key : values.keySet()) {
      if (!known.contains(String.valueOf(key))) {
        problems.add("unknown key " + field(String.valueOf(key)) + "; expected one of " + known);
      }
    }
  }

  String field(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private Object value(String key) {
    known.add(key);
    Object value = values.get(key);
    if (value == null) {
      problems.add(field(key) + " is required");
    }
    return value;
  }

  private static String describe(Object value) {
    return value instanceof String ? "'" + value + "'" : String.valueOf(value);
  }
}
