package dev.inferpipe.contracts;

import java.util.regex.Pattern;

/**
 * Topic and consumer-group names derived from one prefix, so that several pipelines can share a
 * cluster.
 *
 * @param prefix the leading part of every name, for example {@code inference}
 */
public record TopicNames(String prefix) {
  private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,100}");
  private static final Pattern MODEL_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  public TopicNames {
    if (prefix == null || !LEGAL.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "topic prefix must be 1-100 characters of a-z, A-Z, 0-9, '.', '_' or '-', was " + prefix);
    }
  }

  /** Requests for one model; workers of that model consume it. */
  public String requests(String model) {
    return prefix + ".requests." + checkModel(model);
  }

  /** Replies to ingress instances; instance {@code i} reads partition {@code i}. */
  public String replies() {
    return prefix + ".replies";
  }

  /** Results of requests that came without a reply address (direct producers, async API). */
  public String responses(String model) {
    return prefix + ".responses." + checkModel(model);
  }

  /**
   * The models the workers serve, announced by the workers themselves (compacted): see {@link
   * ModelAnnouncement}.
   */
  public String models() {
    return prefix + ".models";
  }

  /** Records of {@code topic} that could not be parsed or validated. */
  public String deadLetters(String topic) {
    return topic + ".dlq";
  }

  /** The consumer group of one model's workers. */
  public String workerGroup(String model) {
    return prefix + ".workers." + checkModel(model);
  }

  /** True when {@code model} is a legal model name: lower case letters, digits, '.', '_', '-'. */
  public static boolean isValidModelName(String model) {
    return model != null && MODEL_NAME.matcher(model).matches();
  }

  private static String checkModel(String model) {
    if (!isValidModelName(model)) {
      throw new IllegalArgumentException(
          "model name must match " + MODEL_NAME.pattern() + ", was " + model);
    }
    return model;
  }
}
