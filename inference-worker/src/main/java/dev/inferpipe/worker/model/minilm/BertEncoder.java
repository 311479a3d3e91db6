package dev.inferpipe.worker.model.minilm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.LayerNorm;
import java.util.HashMap;
import java.util.Map;

/**
 * A BERT encoder as NDArray operations on DJL's engine (libtorch here), followed by
 * sentence-transformers pooling: the mean of the token states over the attention mask, then L2
 * normalization. One call runs a whole padded batch in one forward pass.
 *
 * <p>Thread-safe: the weights are read-only, each call works in its own sub-manager.
 */
final class BertEncoder implements AutoCloseable {
  private static final float LAYER_NORM_EPS = 1e-12f;
  private static final float MASKED = -1e9f;

  private final NDManager manager;
  private final Map<String, NDArray> weights = new HashMap<>();
  private final int layers;
  private final int heads;
  private final int hidden;
  private final NDArray tokenType;

  /** Takes ownership of {@code manager} and of the arrays in {@code list}, named as BertWeights. */
  BertEncoder(NDManager manager, NDList list, int layers, int heads) {
    this.manager = manager;
    for (NDArray array : list) {
      weights.put(array.getName(), array);
    }
    this.layers = layers;
    this.heads = heads;
    this.hidden = (int) weight("embeddings.word_embeddings.weight").getShape().get(1);
    this.tokenType = weight("embeddings.token_type_embeddings.weight").get(0);
    // from here on, an operation that would leave its result in the weights' manager throws
    manager.cap();
  }

  int hiddenSize() {
    return hidden;
  }

  /**
   * @param ids token ids, row-major [batch, length]
   * @param mask 1 for tokens, 0 for padding, [batch, length]
   * @return the L2-normalized sentence embeddings, row-major [batch, hidden]
   */
  float[] embed(long[] ids, long[] mask, int batch, int length) {
    try (NDManager scope = manager.newSubManager()) {
      Shape shape = new Shape(batch, length);
      NDArray tokenIds = scope.create(ids, shape);
      NDArray attention = scope.create(mask, shape).toType(DataType.FLOAT32, false);
      NDArray positions = scope.arange(0, length, 1, DataType.INT64).expandDims(0);

      NDArray x =
          lookup(tokenIds, "embeddings.word_embeddings.weight")
              .add(lookup(positions, "embeddings.position_embeddings.weight"))
              .add(tokenType);
      x = layerNorm(x, "embeddings.LayerNorm");
      // [batch, 1, 1, length]: 0 where a token may be attended to, a large negative at padding
      NDArray maskBias = attention.neg().add(1).mul(MASKED).expandDims(1).expandDims(1);
      for (int layer = 0; layer < layers; layer++) {
        x = encoderLayer(x, maskBias, layer, batch, length);
      }
      NDArray weightsPerToken = attention.expandDims(2);
      NDArray summed = x.mul(weightsPerToken).sum(new int[] {1});
      NDArray counts = weightsPerToken.sum(new int[] {1}).clip(1e-9f, Float.MAX_VALUE);
      NDArray mean = summed.div(counts);
      NDArray norm = mean.norm(new int[] {1}, true).clip(1e-12f, Float.MAX_VALUE);
      return mean.div(norm).toFloatArray();
    }
  }

  private NDArray encoderLayer(NDArray x, NDArray maskBias, int layer, int batch, int length) {
    int headSize = hidden / heads;
    NDArray q = splitHeads(dense(x, layer, "attention.self.query"), batch, length, headSize);
    NDArray k = splitHeads(dense(x, layer, "attention.self.key"), batch, length, headSize);
    NDArray v = splitHeads(dense(x, layer, "attention.self.value"), batch, length, headSize);
    NDArray scores =
        q.matMul(k.transpose(0, 1, 3, 2)).div((float) Math.sqrt(headSize)).add(maskBias);
    NDArray context =
        scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(batch, length, hidden);
    NDArray attended =
        layerNorm(
            dense(context, layer, "attention.output.dense").add(x),
            layerPart(layer, "attention.output.LayerNorm"));
    NDArray intermediate = Activation.gelu(dense(attended, layer, "intermediate.dense"));
    return layerNorm(
        dense(intermediate, layer, "output.dense").add(attended),
        layerPart(layer, "output.LayerNorm"));
  }

  private NDArray splitHeads(NDArray x, int batch, int length, int headSize) {
    return x.reshape(batch, length, heads, headSize).transpose(0, 2, 1, 3);
  }

  private NDArray dense(NDArray x, int layer, String part) {
    String name = layerPart(layer, part);
    return x.matMul(weight(name + ".weight")).add(weight(name + ".bias"));
  }

  private NDArray layerNorm(NDArray x, String name) {
    return LayerNorm.layerNorm(
            x, new Shape(hidden), weight(name + ".weight"), weight(name + ".bias"), LAYER_NORM_EPS)
        .singletonOrThrow();
  }

  private NDArray lookup(NDArray ids, String table) {
    return Embedding.embedding(ids, weight(table), SparseFormat.DENSE).singletonOrThrow();
  }

  private static String layerPart(int layer, String part) {
    return BertWeights.layerName(layer, part);
  }

  private NDArray weight(String name) {
    NDArray array = weights.get(name);
    if (array == null) {
      throw new IllegalStateException("no weight " + name);
    }
    return array;
  }

  @Override
  public void close() {
    manager.close();
  }
}
