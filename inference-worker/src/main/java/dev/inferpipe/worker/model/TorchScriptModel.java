package dev.inferpipe.worker.model;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import dev.inferpipe.contracts.InferTensor;
import dev.inferpipe.contracts.InferenceRequest;
import dev.inferpipe.contracts.ModelMetadata;
import dev.inferpipe.contracts.TensorSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Any TorchScript {@code .pt} file, run by DJL's PyTorch engine: tensors in, tensors out. The
 * requests of a batch are concatenated along dimension 0, run in one forward pass, and the outputs
 * split back by each request's rows.
 */
public final class TorchScriptModel implements ModelRunner {
  private final ZooModel<NDList, NDList> model;
  private final ModelMetadata metadata;

  /**
   * @param name the model's name in the API
   * @param file the TorchScript file
   * @param inputs the inputs in the order {@code forward} takes them; dimension 0 is the batch
   * @param outputs the outputs in the order {@code forward} returns them
   */
  public TorchScriptModel(String name, Path file, List<TensorSpec> inputs, List<TensorSpec> outputs)
      throws IOException, ModelNotFoundException, MalformedModelException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("TorchScript file not found: " + file.toAbsolutePath());
    }
    for (TensorSpec input : inputs) {
      TensorConversion.requireSupported(input.datatype(), "input '" + input.name() + "'");
      if (input.shape().length == 0) {
        throw new IllegalArgumentException(
            "input '" + input.name() + "' needs at least one dimension: dimension 0 is the batch");
      }
    }
    String fileName = file.getFileName().toString();
    this.model =
        Criteria.builder()
            .setTypes(NDList.class, NDList.class)
            .optEngine("PyTorch")
            .optModelPath(file.toAbsolutePath().getParent())
            .optModelName(
                fileName.endsWith(".pt") ? fileName.substring(0, fileName.length() - 3) : fileName)
            .optTranslator(new NoopTranslator())
            .build()
            .loadModel();
    this.metadata = new ModelMetadata(name, List.of("1"), "pytorch_torchscript", inputs, outputs);
  }

  @Override
  public ModelMetadata metadata() {
    return metadata;
  }

  @Override
  public List<List<InferTensor>> infer(List<InferenceRequest> batch) throws Exception {
    long[] rows = new long[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      rows[i] = batch.get(i).input(metadata.inputs().get(0).name()).shape()[0];
    }
    try (NDManager manager = model.getNDManager().newSubManager();
        Predictor<NDList, NDList> predictor = model.newPredictor()) {
      NDList in = new NDList();
      for (TensorSpec spec : metadata.inputs()) {
        in.add(concatenate(manager, spec, batch, rows));
      }
      NDList out = predictor.predict(in);
      List<List<InferTensor>> results = new ArrayList<>(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        results.add(new ArrayList<>(out.size()));
      }
      for (int o = 0; o < out.size(); o++) {
        split(out.get(o), outputName(o), rows, results);
      }
      return results;
    }
  }

  private static NDArray concatenate(
      NDManager manager, TensorSpec spec, List<InferenceRequest> batch, long[] rows) {
    long[] rowShape = null;
    List<Object> parts = new ArrayList<>(batch.size());
    long totalRows = 0;
    for (int i = 0; i < batch.size(); i++) {
      InferTensor input = batch.get(i).input(spec.name());
      long[] shape = input.shape();
      long[] trailing = Arrays.copyOfRange(shape, 1, shape.length);
      if (shape[0] != rows[i]) {
        throw new InvalidInputException(
            "input '" + spec.name() + "' has " + shape[0] + " rows, other inputs " + rows[i]);
      }
      if (rowShape == null) {
        rowShape = trailing;
      } else if (!Arrays.equals(rowShape, trailing)) {
        throw new InvalidInputException(
            "input '"
                + spec.name()
                + "' rows of shape "
                + Arrays.toString(trailing)
                + " cannot join a batch of rows of shape "
                + Arrays.toString(rowShape));
      }
      parts.add(input.data());
      totalRows += shape[0];
    }
    long[] shape = new long[rowShape.length + 1];
    shape[0] = totalRows;
    System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
    return TensorConversion.toNDArray(manager, spec.datatype(), parts, new Shape(shape));
  }

  private static void split(
      NDArray output, String name, long[] rows, List<List<InferTensor>> results) {
    long[] shape = output.getShape().getShape();
    long perRow = 1;
    for (int d = 1; d < shape.length; d++) {
      perRow *= shape[d];
    }
    Object data = TensorConversion.toJavaArray(output);
    int offset = 0;
    for (int i = 0; i < rows.length; i++) {
      long[] own = shape.clone();
      own[0] = rows[i];
      int length = (int) (rows[i] * perRow);
      results
          .get(i)
          .add(
              InferTensor.of(
                  name,
                  own,
                  TensorConversion.datatypeOf(output),
                  TensorConversion.slice(data, offset, length)));
      offset += length;
    }
  }

  private String outputName(int index) {
    List<TensorSpec> outputs = metadata.outputs();
    return index < outputs.size() ? outputs.get(index).name() : "output__" + index;
  }

  @Override
  public void close() {
    model.close();
  }
}
