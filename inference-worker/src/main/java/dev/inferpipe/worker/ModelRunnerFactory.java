package dev.inferpipe.worker;

import dev.inferpipe.contracts.TensorSpec;
import dev.inferpipe.contracts.TopicNames;
import dev.inferpipe.worker.model.ModelRunner;
import dev.inferpipe.worker.model.SimulatedAccelerator;
import dev.inferpipe.worker.model.TorchScriptModel;
import dev.inferpipe.worker.model.minilm.EmbeddingLimits;
import dev.inferpipe.worker.model.minilm.MiniLmModel;
import java.util.List;

/** Builds the configured model runner, failing with a message that names the bad setting. */
final class ModelRunnerFactory {
  private ModelRunnerFactory() {}

  static ModelRunner create(WorkerProperties.Model model) throws Exception {
    if (!TopicNames.isValidModelName(model.name())) {
      throw new IllegalArgumentException(
          "worker.model.name must be lower case letters, digits, '.', '_' or '-', was '"
              + model.name()
              + "'");
    }
    return switch (model.kind()) {
      case "minilm" ->
          new MiniLmModel(
              model.name(),
              model.cacheDir(),
              new EmbeddingLimits(model.maxTexts(), model.maxTextChars()),
              model.bucketSize());
      case "simulated" ->
          new SimulatedAccelerator(
              model.name(),
              model.simulatedBaseMs(),
              model.simulatedPerItemMs(),
              model.simulatedDevices());
      case "torchscript" -> {
        if (model.path() == null) {
          throw new IllegalArgumentException(
              "worker.model.path must name a TorchScript .pt file when worker.model.kind=torchscript");
        }
        yield new TorchScriptModel(
            model.name(),
            model.path(),
            specs("worker.model.inputs", model.inputs()),
            specs("worker.model.outputs", model.outputs()));
      }
      default ->
          throw new IllegalArgumentException(
              "worker.model.kind must be 'minilm', 'simulated' or 'torchscript', was '"
                  + model.kind()
                  + "'");
    };
  }

  private static List<TensorSpec> specs(String property, List<String> values) {
    return values.stream().map(value -> TensorSpec.parse(property, value)).toList();
  }
}
