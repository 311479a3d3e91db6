package dev.inferpipe.ingress;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names a PromQL expression (or a Grafana {@code label_values} query) reads. */
final class PromQl {
  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\w+");
  private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([^,{)]+)");
  // an identifier that is not a function call
  private static final Pattern NAME =
      Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)\\b(?!\\s*\\()");
  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset");

  private PromQl() {}

  static Set<String> metricNames(String expression) {
    Set<String> names = new TreeSet<>();
    Matcher labelValues = LABEL_VALUES.matcher(expression);
    if (labelValues.find()) {
      names.add(labelValues.group(1).trim());
      return names;
    }
    String bare = STRING.matcher(expression).replaceAll("\"\"");
    for (Pattern noise : new Pattern[] {MATCHERS, RANGE, GROUPING, VARIABLE}) {
      bare = noise.matcher(bare).replaceAll(" ");
    }
    Matcher name = NAME.matcher(bare);
    while (name.find()) {
      if (!KEYWORDS.contains(name.group(1))) {
        names.add(name.group(1));
      }
    }
    return names;
  }
}
