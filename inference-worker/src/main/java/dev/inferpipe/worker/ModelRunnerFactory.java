package dev.inferpipe.worker;

import dev.inferpipe.contracts.Datatype;
import dev.inferpipe.contracts.TensorSpec;
import dev.inferpipe.contracts.TopicNames;
import dev.inferpipe.worker.model.ModelRunner;
import dev.inferpipe.worker.model.SimulatedAccelerator;
import dev.inferpipe.worker.model.TorchScriptModel;
import java.util.ArrayList;
import java.util.Arrays;
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
      case "simulated" ->
          new SimulatedAccelerator(
              model.name(), model.simulatedBaseMs(), model.simulatedPerItemMs());
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
              "worker.model.kind must be 'simulated' or 'torchscript', was '" + model.kind() + "'");
    };
  }

  /** Parses {@code name:DATATYPE:dims}, dims separated by 'x' and -1 for any size. */
  static List<TensorSpec> specs(String property, List<String> values) {
    List<TensorSpec> specs = new ArrayList<>(values.size());
    for (String value : values) {
      String[] parts = value.split(":");
      Datatype datatype = parts.length == 3 ? Datatype.fromWire(parts[1]) : null;
      if (datatype == null || parts[0].isEmpty()) {
        throw new IllegalArgumentException(
            property
                + " entries must look like name:DATATYPE:dims (e.g. input:FP32:-1x4), with DATATYPE one of "
                + Arrays.toString(Datatype.values())
                + "; was '"
                + value
                + "'");
      }
      try {
        long[] shape = Arrays.stream(parts[2].split("x")).mapToLong(Long::parseLong).toArray();
        specs.add(new TensorSpec(parts[0], datatype, shape));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            property
                + " dims must be integers separated by 'x' (-1: any size), was '"
                + parts[2]
                + "'");
      }
    }
    return specs;
  }
}
