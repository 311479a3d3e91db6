package dev.inferpipe.worker.model.minilm;

import dev.inferpipe.worker.model.InvalidInputException;

/**
 * What one request may ask of the embedding model: at most {@code maxTexts} texts, each non-empty
 * and at most {@code maxChars} characters (longer token sequences are truncated anyway; this bounds
 * the tokenizer's work).
 */
public record EmbeddingLimits(int maxTexts, int maxChars) {
  public static final EmbeddingLimits DEFAULT = new EmbeddingLimits(256, 20_000);

  public EmbeddingLimits {
    if (maxTexts < 1 || maxChars < 1) {
      throw new IllegalArgumentException(
          "embedding limits must be positive, were maxTexts="
              + maxTexts
              + ", maxChars="
              + maxChars);
    }
  }

  void check(String[] texts) {
    if (texts.length == 0) {
      throw new InvalidInputException("input 'text' must hold at least one text");
    }
    if (texts.length > maxTexts) {
      throw new InvalidInputException(
          "input 'text' holds " + texts.length + " texts; the limit is " + maxTexts);
    }
    for (int i = 0; i < texts.length; i++) {
      if (texts[i].isEmpty()) {
        throw new InvalidInputException("input 'text' item " + i + " is empty");
      }
      if (texts[i].length() > maxChars) {
        throw new InvalidInputException(
            "input 'text' item "
                + i
                + " has "
                + texts[i].length()
                + " characters; the limit is "
                + maxChars);
      }
    }
  }
}
