package dev.inferpipe.contracts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Golden messages of the contract, shipped in the contracts test-jar so that every module's tests
 * speak exactly what producers in other languages will write.
 */
public final class GoldenMessages {
  /** Valid request bodies, by file name. */
  public static final List<String> VALID_REQUESTS =
      List.of(
          "fp32-request.json",
          "nested-data-request.json",
          "text-request.json",
          "no-id-request.json");

  /** Valid response bodies, by file name. */
  public static final List<String> VALID_RESPONSES =
      List.of("success-response.json", "error-response.json");

  /** Invalid request bodies, by file name, with the field their violation must name. */
  public static final Map<String, String> INVALID_REQUESTS =
      Map.of(
          "shape-data-mismatch.json", "inputs[0].data",
          "wrong-element-type.json", "inputs[0].data[1]",
          "unknown-datatype.json", "inputs[0].datatype",
          "missing-inputs.json", "inputs",
          "unknown-field.json", "inptus",
          "integer-out-of-range.json", "inputs[0].data[0]",
          "missing-data.json", "inputs[0].data",
          "truncated-json.json", "");

  private GoldenMessages() {}

  public static byte[] valid(String name) {
    return load("golden/valid/" + name);
  }

  public static byte[] invalid(String name) {
    return load("golden/invalid/" + name);
  }

  /** A valid FP32 request of shape [2, 4] with id {@code golden-fp32-1}. */
  public static byte[] fp32Request() {
    return valid("fp32-request.json");
  }

  private static byte[] load(String resource) {
    try (InputStream in = GoldenMessages.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no golden message " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
