package dev.inferpipe.contracts;

import java.util.List;

/**
 * Open Inference Protocol v2 model metadata, as served by {@code GET /v2/models/{model}}.
 *
 * @param name the model's name in the API
 * @param versions the versions served
 * @param platform what runs it, for example {@code pytorch_torchscript} or {@code simulated}
 * @param inputs the inputs the model takes
 * @param outputs the outputs the model gives
 */
public record ModelMetadata(
    String name,
    List<String> versions,
    String platform,
    List<TensorSpec> inputs,
    List<TensorSpec> outputs) {}
