package dev.inferpipe.worker.model;

import dev.inferpipe.contracts.InferTensor;
import dev.inferpipe.contracts.InferenceRequest;
import dev.inferpipe.contracts.ModelMetadata;
import dev.inferpipe.contracts.TensorSpec;
import java.util.Arrays;

/** Checks a request's inputs against the model's declared inputs; {@code -1} matches any size. */
final class InputValidator {
  private InputValidator() {}

  static void check(ModelMetadata model, InferenceRequest request) {
    for (TensorSpec spec : model.inputs()) {
      InferTensor input = request.input(spec.name());
      if (input == null) {
        throw new InvalidInputException(
            "model '" + model.name() + "' needs an input named '" + spec.name() + "'");
      }
      if (input.datatype() != spec.datatype()) {
        throw new InvalidInputException(
            "input '" + spec.name() + "' must be " + spec.datatype() + ", was " + input.datatype());
      }
      if (!fits(spec.shape(), input.shape())) {
        throw new InvalidInputException(
            "input '"
                + spec.name()
                + "' must have shape "
                + Arrays.toString(spec.shape())
                + " (-1: any size), was "
                + Arrays.toString(input.shape()));
      }
    }
    for (InferTensor input : request.inputs()) {
      if (model.inputs().stream().noneMatch(spec -> spec.name().equals(input.name()))) {
        throw new InvalidInputException(
            "model '" + model.name() + "' has no input named '" + input.name() + "'");
      }
    }
  }

  private static boolean fits(long[] expected, long[] actual) {
    if (expected.length != actual.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if (expected[i] != -1 && expected[i] != actual[i]) {
        return false;
      }
    }
    return true;
  }
}
