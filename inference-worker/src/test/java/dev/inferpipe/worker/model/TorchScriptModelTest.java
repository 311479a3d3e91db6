package dev.inferpipe.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inferpipe.contracts.Datatype;
import dev.inferpipe.contracts.InferTensor;
import dev.inferpipe.contracts.InferenceRequest;
import dev.inferpipe.contracts.TensorSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Loads {@code affine.pt} (made by {@code make_affine_model.py} beside it: y = x·Wᵀ + b) through
 * DJL's PyTorch engine, offline, and checks batched results against the formula.
 */
class TorchScriptModelTest {
  static final Path AFFINE = Path.of("src/test/resources/models/affine.pt");
  private static TorchScriptModel model;

  @BeforeAll
  static void load() throws Exception {
    model =
        new TorchScriptModel(
            "affine",
            AFFINE,
            List.of(new TensorSpec("input", Datatype.FP32, new long[] {-1, 4})),
            List.of(new TensorSpec("output", Datatype.FP32, new long[] {-1, 2})));
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private static InferenceRequest rows(String id, float[] data) {
    return InferenceRequest.of(
        id, InferTensor.ofFloats("input", new long[] {data.length / 4, 4}, data));
  }

  /** y0 = x0 + 2·x1 + 3·x2 + 4·x3 + 0.5, y1 = −x0 + x2 − 0.5. */
  private static float[] expected(float... x) {
    float[] y = new float[x.length / 4 * 2];
    for (int r = 0; r < x.length / 4; r++) {
      int i = r * 4;
      y[r * 2] = x[i] + 2 * x[i + 1] + 3 * x[i + 2] + 4 * x[i + 3] + 0.5f;
      y[r * 2 + 1] = -x[i] + x[i + 2] - 0.5f;
    }
    return y;
  }

  @Test
  void runsABatchInOnePassAndSplitsItBackByRows() throws Exception {
    float[] one = {1, 1, 1, 1};
    float[] two = {1, 2, 3, 4, -1, 0, 2, 0.5f};
    float[] three = {0, 0, 0, 0};

    List<List<InferTensor>> outputs =
        model.infer(List.of(rows("a", one), rows("b", two), rows("c", three)));

    assertThat(outputs).hasSize(3);
    assertThat(outputs.get(0).get(0).shape()).containsExactly(1, 2);
    assertThat(outputs.get(0).get(0).floats()).containsExactly(expected(one));
    assertThat(outputs.get(1).get(0).shape()).containsExactly(2, 2);
    assertThat(outputs.get(1).get(0).floats()).containsExactly(expected(two));
    assertThat(outputs.get(2).get(0).floats()).containsExactly(expected(three));
    assertThat(outputs.get(2).get(0).name()).isEqualTo("output");
  }

  @Test
  void describesItselfAsTorchScript() {
    assertThat(model.metadata().platform()).isEqualTo("pytorch_torchscript");
    assertThat(model.metadata().inputs()).extracting(TensorSpec::name).containsExactly("input");
  }

  @Test
  void rejectsInputsThatDoNotFitTheDeclaredShape() {
    InferenceRequest wrong =
        InferenceRequest.of("w", InferTensor.ofFloats("input", new long[] {1, 3}, new float[3]));

    assertThatThrownBy(() -> model.validate(wrong))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("input 'input' must have shape [-1, 4] (-1: any size), was [1, 3]");
  }

  @Test
  void aMissingFileFailsWithItsPath() {
    assertThatThrownBy(
            () ->
                new TorchScriptModel(
                    "x",
                    Path.of("no/such/model.pt"),
                    List.of(new TensorSpec("input", Datatype.FP32, new long[] {-1})),
                    List.of()))
        .hasMessageContaining("TorchScript file not found")
        .hasMessageContaining("model.pt");
  }
}
