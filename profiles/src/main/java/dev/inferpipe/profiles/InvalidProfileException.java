package dev.inferpipe.profiles;

import java.util.List;

/** A profile that breaks the schema; each problem names the field and says what was expected. */
public final class InvalidProfileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public InvalidProfileException(String source, List<String> problems) {
    super("invalid profile " + source + ":\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  /** One line per problem, e.g. {@code worker.batchSize must be between 1 and 1024, was 0}. */
  public List<String> problems() {
    return problems;
  }
}
