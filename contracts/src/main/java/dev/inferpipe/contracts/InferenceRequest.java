package dev.inferpipe.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * An Open Inference Protocol v2 inference request: the body a caller POSTs to {@code
 * /v2/models/{model}/infer}, and the value a direct producer writes to the request topic.
 *
 * @param id the caller's request id; the ingress assigns one when absent
 * @param inputs the input tensors, at least one
 * @param outputs the outputs the caller asks for (null: all of them)
 * @param parameters free-form request parameters (may be null)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InferenceRequest(
    String id,
    List<InferTensor> inputs,
    List<RequestedOutput> outputs,
    Map<String, Object> parameters) {

  public InferenceRequest {
    inputs = List.copyOf(inputs);
    outputs = outputs == null ? null : List.copyOf(outputs);
  }

  public static InferenceRequest of(String id, InferTensor... inputs) {
    return new InferenceRequest(id, List.of(inputs), null, null);
  }

  /** A copy of this request with another id. */
  public InferenceRequest withId(String newId) {
    return new InferenceRequest(newId, inputs, outputs, parameters);
  }

  /** The input called {@code name}, or null. */
  public InferTensor input(String name) {
    for (InferTensor input : inputs) {
      if (input.name().equals(name)) {
        return input;
      }
    }
    return null;
  }

  /** An output the caller asks for by name. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RequestedOutput(String name, Map<String, Object> parameters) {}
}
