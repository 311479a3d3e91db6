package dev.inferpipe.worker.model;

import dev.inferpipe.contracts.InferTensor;
import dev.inferpipe.contracts.InferenceRequest;
import dev.inferpipe.contracts.ModelMetadata;
import java.util.List;
import java.util.Map;

/**
 * A model the worker serves: takes a batch of decoded requests and returns one list of output
 * tensors per request, in order, from one forward pass. Implementations must allow {@link #infer}
 * from several executors at once.
 */
public interface ModelRunner extends AutoCloseable {
  ModelMetadata metadata();

  /**
   * Checks that one request's inputs fit the model, before it joins a batch.
   *
   * @throws InvalidInputException naming the input and what the model expects
   */
  default void validate(InferenceRequest request) {
    InputValidator.check(metadata(), request);
  }

  /** Runs one forward pass over the batch. */
  List<List<InferTensor>> infer(List<InferenceRequest> batch) throws Exception;

  /** Parameters every response of this model carries, such as {@code simulated: true}. */
  default Map<String, Object> responseParameters() {
    return null;
  }

  @Override
  default void close() {}
}
