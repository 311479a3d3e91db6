package dev.inferpipe.worker.model.minilm;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of an ONNX model file that a weight import needs: the graph's float initializers and
 * its nodes. Reads the protobuf wire format directly (ModelProto → GraphProto → TensorProto,
 * NodeProto), field numbers as in onnx.proto, skipping everything else.
 */
final class OnnxGraph {
  /** A float tensor: row-major data and its dimensions. */
  record Tensor(long[] dims, float[] data) {}

  /** A node: its name (a path such as {@code /encoder/layer.0/attention/self/query/MatMul}). */
  record Node(String name, String opType, List<String> inputs) {}

  private static final int MODEL_GRAPH = 7;
  private static final int GRAPH_NODE = 1;
  private static final int GRAPH_INITIALIZER = 5;
  private static final int NODE_INPUT = 1;
  private static final int NODE_NAME = 3;
  private static final int NODE_OP_TYPE = 4;
  private static final int TENSOR_DIMS = 1;
  private static final int TENSOR_DATA_TYPE = 2;
  private static final int TENSOR_FLOAT_DATA = 4;
  private static final int TENSOR_NAME = 8;
  private static final int TENSOR_RAW_DATA = 9;
  private static final int ONNX_FLOAT = 1;

  final Map<String, Tensor> initializers = new HashMap<>();
  final List<Node> nodes = new ArrayList<>();

  static OnnxGraph parse(byte[] model) throws IOException {
    OnnxGraph graph = new OnnxGraph();
    CodedInputStream in = CodedInputStream.newInstance(model);
    in.setSizeLimit(Integer.MAX_VALUE);
    for (int tag; (tag = in.readTag()) != 0; ) {
      if (WireFormat.getTagFieldNumber(tag) == MODEL_GRAPH) {
        graph.readGraph(in.readBytes().newCodedInput());
      } else {
        in.skipField(tag);
      }
    }
    if (graph.initializers.isEmpty()) {
      throw new IOException("no float initializers found: is this an ONNX model file?");
    }
    return graph;
  }

  private void readGraph(CodedInputStream in) throws IOException {
    in.setSizeLimit(Integer.MAX_VALUE);
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case GRAPH_NODE -> nodes.add(readNode(in.readBytes().newCodedInput()));
        case GRAPH_INITIALIZER -> readTensor(in.readBytes().newCodedInput());
        default -> in.skipField(tag);
      }
    }
  }

  private static Node readNode(CodedInputStream in) throws IOException {
    List<String> inputs = new ArrayList<>();
    String name = "";
    String opType = "";
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case NODE_INPUT -> inputs.add(in.readString());
        case NODE_NAME -> name = in.readString();
        case NODE_OP_TYPE -> opType = in.readString();
        default -> in.skipField(tag);
      }
    }
    return new Node(name, opType, inputs);
  }

  private void readTensor(CodedInputStream in) throws IOException {
    in.setSizeLimit(Integer.MAX_VALUE);
    List<Long> dims = new ArrayList<>();
    int dataType = 0;
    String name = null;
    ByteBuffer raw = null;
    List<Float> floats = new ArrayList<>();
    for (int tag; (tag = in.readTag()) != 0; ) {
      int field = WireFormat.getTagFieldNumber(tag);
      boolean packed = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
      switch (field) {
        case TENSOR_DIMS -> readRepeated(in, packed, () -> dims.add(in.readInt64()));
        case TENSOR_DATA_TYPE -> dataType = in.readInt32();
        case TENSOR_FLOAT_DATA -> readRepeated(in, packed, () -> floats.add(in.readFloat()));
        case TENSOR_NAME -> name = in.readString();
        case TENSOR_RAW_DATA -> raw = in.readBytes().asReadOnlyByteBuffer();
        default -> in.skipField(tag);
      }
    }
    if (dataType != ONNX_FLOAT || name == null) {
      return; // shape constants and the like: not weights
    }
    float[] data;
    if (raw != null) {
      data = new float[raw.remaining() / Float.BYTES];
      raw.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
    } else {
      data = new float[floats.size()];
      for (int i = 0; i < data.length; i++) {
        data[i] = floats.get(i);
      }
    }
    initializers.put(name, new Tensor(dims.stream().mapToLong(Long::longValue).toArray(), data));
  }

  private interface Read {
    void one() throws IOException;
  }

  private static void readRepeated(CodedInputStream in, boolean packed, Read read)
      throws IOException {
    if (!packed) {
      read.one();
      return;
    }
    int limit = in.pushLimit(in.readRawVarint32());
    while (in.getBytesUntilLimit() > 0) {
      read.one();
    }
    in.popLimit(limit);
  }
}
