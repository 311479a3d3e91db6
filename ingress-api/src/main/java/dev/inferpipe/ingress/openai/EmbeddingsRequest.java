package dev.inferpipe.ingress.openai;

import dev.inferpipe.contracts.ContractViolation;
import dev.inferpipe.contracts.InferTensor;
import dev.inferpipe.contracts.InferenceRequest;
import dev.inferpipe.ingress.IngressProperties;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An OpenAI {@code POST /v1/embeddings} body, validated: {@code input} (a string or an array of
 * strings), {@code model}, and optionally {@code encoding_format} ({@code float} or {@code
 * base64}), {@code dimensions} (only the model's own) and {@code user}.
 */
record EmbeddingsRequest(String model, List<String> inputs, boolean base64) {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  static EmbeddingsRequest parse(byte[] body, IngressProperties.Embeddings limits) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JacksonException e) {
      throw new ContractViolation("", "body is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new ContractViolation("", "expected a JSON object");
    }
    JsonNode model = root.get("model");
    if (model == null || !model.isString() || model.asString().isEmpty()) {
      throw new ContractViolation("model", "expected the model's name as a string");
    }
    JsonNode format = root.get("encoding_format");
    boolean base64 = false;
    if (format != null && !format.isNull()) {
      String value = format.isString() ? format.asString() : "";
      if (!value.equals("float") && !value.equals("base64")) {
        throw new ContractViolation(
            "encoding_format", "expected 'float' or 'base64', was " + format);
      }
      base64 = value.equals("base64");
    }
    return new EmbeddingsRequest(model.asString(), inputs(root.get("input"), limits), base64);
  }

  private static List<String> inputs(JsonNode input, IngressProperties.Embeddings limits) {
    List<String> texts = new ArrayList<>();
    if (input != null && input.isString()) {
      texts.add(check(input.asString(), "input", limits));
      return texts;
    }
    if (input == null || !input.isArray() || input.isEmpty()) {
      throw new ContractViolation(
          "input", "expected a non-empty string or a non-empty array of strings");
    }
    if (input.size() > limits.maxInputs()) {
      throw new ContractViolation(
          "input", "expected at most " + limits.maxInputs() + " items, was " + input.size());
    }
    for (int i = 0; i < input.size(); i++) {
      JsonNode item = input.get(i);
      if (!item.isString()) {
        throw new ContractViolation(
            "input[" + i + "]",
            "expected a string, was "
                + item.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
      }
      texts.add(check(item.asString(), "input[" + i + "]", limits));
    }
    return texts;
  }

  private static String check(String text, String field, IngressProperties.Embeddings limits) {
    if (text.isEmpty()) {
      throw new ContractViolation(field, "must not be empty");
    }
    if (text.length() > limits.maxInputChars()) {
      throw new ContractViolation(
          field, "has " + text.length() + " characters; the limit is " + limits.maxInputChars());
    }
    return text;
  }

  /** The same request in the Open Inference Protocol, as the worker reads it. */
  InferenceRequest toInference() {
    return InferenceRequest.of(null, InferTensor.ofStrings("text", inputs.toArray(String[]::new)));
  }
}
