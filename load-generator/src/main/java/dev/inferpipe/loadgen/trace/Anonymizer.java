package dev.inferpipe.loadgen.trace;

import dev.inferpipe.synthetic.SyntheticTexts;
import java.util.SplittableRandom;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * Replaces the texts a request carries (the {@code BYTES} inputs of an Open Inference Protocol
 * body) with synthetic texts of the same number of words, so a recorded trace keeps its length
 * distribution and loses its content. Everything else in the body stays as it was.
 */
public final class Anonymizer {
  private final SplittableRandom random;

  public Anonymizer(long seed) {
    this.random = new SplittableRandom(seed);
  }

  public JsonNode anonymize(JsonNode body) {
    JsonNode copy = body.deepCopy();
    for (JsonNode input : copy.path("inputs")) {
      if ("BYTES".equals(input.path("datatype").asString(""))
          && input.path("data") instanceof ArrayNode data) {
        for (int i = 0; i < data.size(); i++) {
          if (data.get(i).isString()) {
            data.set(i, SyntheticTexts.text(random, words(data.get(i).asString())));
          }
        }
      }
    }
    return copy;
  }

  /** Words as the trace maker counts them: runs of non-blanks, at least one. */
  static int words(String text) {
    String trimmed = text.strip();
    return trimmed.isEmpty() ? 1 : trimmed.split("\\s+").length;
  }
}
