package dev.inferpipe.worker.model.minilm;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The weights of a BERT encoder under their PyTorch names ({@code
 * encoder.layer.0.attention.self.query.weight}, …), imported from an ONNX export: biases and
 * LayerNorms keep their names there, while each dense layer's weight is an anonymous {@code
 * onnx::MatMul_N} initializer named only by the node that consumes it ({@code
 * /encoder/layer.0/attention/self/query/MatMul}). Dense weights stay as ONNX stores them, [in,
 * out], ready for {@code x.matMul(w)}.
 */
final class BertWeights {
  static final String[] DENSE_LAYERS = {
    "attention.self.query",
    "attention.self.key",
    "attention.self.value",
    "attention.output.dense",
    "intermediate.dense",
    "output.dense"
  };
  static final String[] LAYER_NORMS = {"attention.output.LayerNorm", "output.LayerNorm"};

  private BertWeights() {}

  /** Every tensor the encoder needs for {@code layers} layers, by name. */
  static Map<String, OnnxGraph.Tensor> fromOnnx(OnnxGraph graph, int layers) throws IOException {
    Map<String, OnnxGraph.Tensor> weights = new HashMap<>();
    graph.initializers.forEach(
        (name, tensor) -> {
          if (!name.startsWith("onnx::")) {
            weights.put(name, tensor);
          }
        });
    for (OnnxGraph.Node node : graph.nodes) {
      if (node.opType().equals("MatMul") && node.name().endsWith("/MatMul")) {
        OnnxGraph.Tensor weight = graph.initializers.get(node.inputs().get(1));
        if (weight != null) {
          String path = node.name().substring(1, node.name().length() - "/MatMul".length());
          weights.put(path.replace('/', '.') + ".weight", weight);
        }
      }
    }
    for (String required : requiredNames(layers)) {
      if (!weights.containsKey(required)) {
        throw new IOException(
            "the ONNX file has no weight for " + required + ": not a BERT export?");
      }
    }
    return weights;
  }

  static String[] requiredNames(int layers) {
    java.util.List<String> names =
        new java.util.ArrayList<>(
            java.util.List.of(
                "embeddings.word_embeddings.weight",
                "embeddings.position_embeddings.weight",
                "embeddings.token_type_embeddings.weight",
                "embeddings.LayerNorm.weight",
                "embeddings.LayerNorm.bias"));
    for (int layer = 0; layer < layers; layer++) {
      for (String dense : DENSE_LAYERS) {
        names.add(layerName(layer, dense) + ".weight");
        names.add(layerName(layer, dense) + ".bias");
      }
      for (String norm : LAYER_NORMS) {
        names.add(layerName(layer, norm) + ".weight");
        names.add(layerName(layer, norm) + ".bias");
      }
    }
    return names.toArray(String[]::new);
  }

  static String layerName(int layer, String part) {
    return "encoder.layer." + layer + "." + part;
  }
}
