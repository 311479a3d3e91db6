package dev.inferpipe.contracts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Encodes and decodes the contract's JSON. Decoding validates as it goes: a message that breaks the
 * contract fails with a {@link ContractViolation} that names the field and what was expected.
 * Thread-safe; build one and share it.
 */
public final class InferenceCodec {
  private static final Set<String> REQUEST_FIELDS = Set.of("id", "inputs", "outputs", "parameters");
  private static final Set<String> RESPONSE_FIELDS =
      Set.of("model_name", "model_version", "id", "parameters", "outputs", "error", "error_code");

  private final JsonMapper mapper = JsonMapper.builder().build();
  private final CodecLimits limits;
  private final TensorReader tensors;

  public InferenceCodec() {
    this(CodecLimits.DEFAULT);
  }

  public InferenceCodec(CodecLimits limits) {
    this.limits = limits;
    this.tensors = new TensorReader(limits);
  }

  public CodecLimits limits() {
    return limits;
  }

  /** Decodes and validates a request body. */
  public InferenceRequest decodeRequest(byte[] json) {
    JsonNode root = parseObject(json);
    JsonReading.rejectUnknownFields(root, "", REQUEST_FIELDS);
    String id = JsonReading.optionalString(root, "id", "");
    if (id != null && (id.isEmpty() || id.length() > limits.maxIdLength())) {
      throw new ContractViolation(
          "id", "expected 1 to " + limits.maxIdLength() + " characters, was " + id.length());
    }
    JsonNode inputs = root.get("inputs");
    if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
      throw new ContractViolation(
          "inputs", "expected a non-empty array of tensors, was " + TensorReader.describe(inputs));
    }
    if (inputs.size() > limits.maxInputs()) {
      throw new ContractViolation(
          "inputs", "expected at most " + limits.maxInputs() + " tensors, was " + inputs.size());
    }
    List<InferTensor> decoded = new ArrayList<>(inputs.size());
    Set<String> names = new java.util.HashSet<>();
    for (int i = 0; i < inputs.size(); i++) {
      InferTensor tensor = tensors.read(inputs.get(i), "inputs[" + i + "]");
      if (!names.add(tensor.name())) {
        throw new ContractViolation(
            "inputs[" + i + "].name", "duplicate input name '" + tensor.name() + "'");
      }
      decoded.add(tensor);
    }
    return new InferenceRequest(
        id,
        decoded,
        readRequestedOutputs(root.get("outputs")),
        JsonReading.optionalObject(root, "parameters", ""));
  }

  /** Decodes and validates a response or error body. */
  public InferenceResponse decodeResponse(byte[] json) {
    JsonNode root = parseObject(json);
    JsonReading.rejectUnknownFields(root, "", RESPONSE_FIELDS);
    List<InferTensor> outputs = null;
    JsonNode outputNodes = root.get("outputs");
    if (outputNodes != null && !outputNodes.isNull()) {
      if (!outputNodes.isArray()) {
        throw new ContractViolation(
            "outputs", "expected an array, was " + TensorReader.describe(outputNodes));
      }
      outputs = new ArrayList<>(outputNodes.size());
      for (int i = 0; i < outputNodes.size(); i++) {
        outputs.add(tensors.read(outputNodes.get(i), "outputs[" + i + "]"));
      }
    }
    String code = JsonReading.optionalString(root, "error_code", "");
    String error = JsonReading.optionalString(root, "error", "");
    if (outputs == null && error == null) {
      throw new ContractViolation("", "expected either 'outputs' or 'error'");
    }
    return new InferenceResponse(
        JsonReading.optionalString(root, "model_name", ""),
        JsonReading.optionalString(root, "model_version", ""),
        JsonReading.optionalString(root, "id", ""),
        JsonReading.optionalObject(root, "parameters", ""),
        outputs,
        error,
        code == null ? (error == null ? null : ErrorCode.INTERNAL) : ErrorCode.fromWire(code));
  }

  public byte[] encode(InferenceRequest request) {
    return mapper.writeValueAsBytes(request);
  }

  public byte[] encode(InferenceResponse response) {
    return mapper.writeValueAsBytes(response);
  }

  /** Encodes any other contract value (model metadata, error bodies) with the same settings. */
  public byte[] encodeValue(Object value) {
    return mapper.writeValueAsBytes(value);
  }

  /** Reads the request id from a body that may be otherwise broken; null if it cannot. */
  public String peekId(byte[] json) {
    try {
      JsonNode id = mapper.readTree(json).get("id");
      return id != null && id.isString() ? id.asString() : null;
    } catch (JacksonException | IllegalArgumentException e) {
      return null;
    }
  }

  private JsonNode parseObject(byte[] json) {
    if (json == null || json.length == 0) {
      throw new ContractViolation("", "expected a JSON object, the body was empty");
    }
    JsonNode root;
    try {
      root = mapper.readTree(json);
    } catch (JacksonException e) {
      throw new ContractViolation("", "body is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new ContractViolation("", "expected a JSON object, was " + TensorReader.describe(root));
    }
    return root;
  }

  private static List<InferenceRequest.RequestedOutput> readRequestedOutputs(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isArray()) {
      throw new ContractViolation(
          "outputs", "expected an array, was " + TensorReader.describe(node));
    }
    List<InferenceRequest.RequestedOutput> outputs = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      String path = "outputs[" + i + "]";
      JsonNode output = node.get(i);
      if (!output.isObject()) {
        throw new ContractViolation(
            path, "expected an object, was " + TensorReader.describe(output));
      }
      JsonReading.rejectUnknownFields(output, path, Set.of("name", "parameters"));
      Map<String, Object> parameters = JsonReading.optionalObject(output, "parameters", path);
      outputs.add(
          new InferenceRequest.RequestedOutput(
              JsonReading.requiredString(output, "name", path), parameters));
    }
    return outputs;
  }
}
