package dev.inferpipe.contracts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * An Open Inference Protocol v2 inference response, or an error. A success has {@code outputs}; a
 * failure has {@code error} (the v2 error message) and {@code error_code}.
 *
 * @param modelName the model that answered
 * @param modelVersion the model's version (may be null)
 * @param id the request id this answers
 * @param parameters response parameters, such as {@code simulated: true} (may be null)
 * @param outputs the output tensors of a success
 * @param error what went wrong, for a person
 * @param errorCode what went wrong, for a program
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InferenceResponse(
    @JsonProperty("model_name") String modelName,
    @JsonProperty("model_version") String modelVersion,
    String id,
    Map<String, Object> parameters,
    List<InferTensor> outputs,
    String error,
    @JsonProperty("error_code") ErrorCode errorCode) {

  public static InferenceResponse success(
      String model, String id, List<InferTensor> outputs, Map<String, Object> parameters) {
    return new InferenceResponse(model, null, id, parameters, List.copyOf(outputs), null, null);
  }

  public static InferenceResponse failure(String model, String id, ErrorCode code, String message) {
    return new InferenceResponse(model, null, id, null, null, message, code);
  }

  @JsonIgnore
  public boolean isError() {
    return errorCode != null;
  }

  /** The output called {@code name}, or null. */
  public InferTensor output(String name) {
    if (outputs != null) {
      for (InferTensor output : outputs) {
        if (output.name().equals(name)) {
          return output;
        }
      }
    }
    return null;
  }
}
