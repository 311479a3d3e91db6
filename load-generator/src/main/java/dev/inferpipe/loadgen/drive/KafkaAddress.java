package dev.inferpipe.loadgen.drive;

/** {@code kafka://BOOTSTRAP[?prefix=PREFIX]}: the brokers and the topic prefix (inference). */
public record KafkaAddress(String bootstrap, String prefix) {
  public static final String SCHEME = "kafka://";

  public static KafkaAddress parse(String uri) {
    if (!uri.startsWith(SCHEME) || uri.length() == SCHEME.length()) {
      throw new IllegalArgumentException(
          "a Kafka address must look like kafka://BOOTSTRAP[?prefix=PREFIX], was " + uri);
    }
    String rest = uri.substring(SCHEME.length());
    int query = rest.indexOf("?prefix=");
    return query < 0
        ? new KafkaAddress(rest, "inference")
        : new KafkaAddress(rest.substring(0, query), rest.substring(query + "?prefix=".length()));
  }

  @Override
  public String toString() {
    return SCHEME + bootstrap + "?prefix=" + prefix;
  }
}
