package dev.inferpipe.contracts;

/**
 * Bounds the codec enforces while decoding, so that one message cannot exhaust memory.
 *
 * @param maxInputs the most input tensors in one request
 * @param maxTensorElements the most elements in one tensor
 * @param maxIdLength the longest request id
 */
public record CodecLimits(int maxInputs, long maxTensorElements, int maxIdLength) {
  public static final CodecLimits DEFAULT = new CodecLimits(64, 4_194_304, 256);

  public CodecLimits {
    requirePositive("maxInputs", maxInputs);
    requirePositive("maxTensorElements", maxTensorElements);
    requirePositive("maxIdLength", maxIdLength);
  }

  private static void requirePositive(String field, long value) {
    if (value < 1) {
      throw new IllegalArgumentException(field + " must be at least 1, was " + value);
    }
  }
}
