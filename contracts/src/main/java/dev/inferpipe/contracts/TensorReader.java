package dev.inferpipe.contracts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Reads and validates one tensor object of a request or a response into an {@link InferTensor}. */
final class TensorReader {
  private static final Set<String> FIELDS =
      Set.of("name", "shape", "datatype", "data", "parameters");
  private static final int MAX_DIMENSIONS = 16;

  private final CodecLimits limits;

  TensorReader(CodecLimits limits) {
    this.limits = limits;
  }

  InferTensor read(JsonNode node, String path) {
    if (node == null || !node.isObject()) {
      throw new ContractViolation(path, "expected a tensor object, was " + describe(node));
    }
    JsonReading.rejectUnknownFields(node, path, FIELDS);
    String name = JsonReading.requiredString(node, "name", path);
    if (name.isEmpty()) {
      throw new ContractViolation(path + ".name", "expected a non-empty string");
    }
    long[] shape = readShape(node.get("shape"), path + ".shape");
    Datatype datatype = readDatatype(node.get("datatype"), path + ".datatype");
    long expected = elementCount(shape, path + ".shape");
    List<JsonNode> elements = flatten(node.get("data"), path + ".data");
    if (elements.size() != expected) {
      throw new ContractViolation(
          path + ".data",
          "expected "
              + expected
              + " elements for shape "
              + java.util.Arrays.toString(shape)
              + ", was "
              + elements.size());
    }
    Object data = convert(elements, datatype, path + ".data");
    Map<String, Object> parameters = JsonReading.optionalObject(node, "parameters", path);
    return new InferTensor(name, shape, datatype, data, parameters);
  }

  private static long[] readShape(JsonNode node, String path) {
    if (node == null || !node.isArray()) {
      throw new ContractViolation(
          path, "expected an array of non-negative integers, was " + describe(node));
    }
    if (node.size() > MAX_DIMENSIONS) {
      throw new ContractViolation(
          path, "expected at most " + MAX_DIMENSIONS + " dimensions, was " + node.size());
    }
    long[] shape = new long[node.size()];
    for (int i = 0; i < shape.length; i++) {
      JsonNode dim = node.get(i);
      if (!dim.isIntegralNumber() || !dim.canConvertToLong() || dim.asLong() < 0) {
        throw new ContractViolation(
            path + "[" + i + "]", "expected a non-negative integer, was " + describe(dim));
      }
      shape[i] = dim.asLong();
    }
    return shape;
  }

  private static Datatype readDatatype(JsonNode node, String path) {
    Datatype datatype = node != null && node.isString() ? Datatype.fromWire(node.asString()) : null;
    if (datatype == null) {
      throw new ContractViolation(
          path,
          "expected one of "
              + java.util.Arrays.toString(Datatype.values())
              + ", was "
              + describe(node));
    }
    return datatype;
  }

  private long elementCount(long[] shape, String path) {
    long count = 1;
    for (long dim : shape) {
      count = dim == 0 ? 0 : Math.multiplyExact(count, dim);
      if (count > limits.maxTensorElements()) {
        throw new ContractViolation(
            path, "describes more than " + limits.maxTensorElements() + " elements");
      }
    }
    return count;
  }

  /** Flattens nested (row-major) or flat data arrays into a list of leaf values. */
  private List<JsonNode> flatten(JsonNode node, String path) {
    if (node == null || !node.isArray()) {
      throw new ContractViolation(path, "expected an array, was " + describe(node));
    }
    List<JsonNode> leaves = new ArrayList<>(node.size());
    collect(node, leaves, path);
    return leaves;
  }

  private void collect(JsonNode array, List<JsonNode> leaves, String path) {
    for (JsonNode element : array) {
      if (element.isArray()) {
        collect(element, leaves, path);
      } else {
        leaves.add(element);
      }
      if (leaves.size() > limits.maxTensorElements()) {
        throw new ContractViolation(
            path, "has more than " + limits.maxTensorElements() + " elements");
      }
    }
  }

  private static Object convert(List<JsonNode> elements, Datatype datatype, String path) {
    int n = elements.size();
    Class<?> arrayType = datatype.arrayType();
    if (arrayType == float[].class) {
      float[] values = new float[n];
      for (int i = 0; i < n; i++) {
        values[i] = (float) number(elements.get(i), datatype, path, i).doubleValue();
      }
      return values;
    }
    if (arrayType == double[].class) {
      double[] values = new double[n];
      for (int i = 0; i < n; i++) {
        values[i] = number(elements.get(i), datatype, path, i).doubleValue();
      }
      return values;
    }
    if (arrayType == int[].class) {
      int[] values = new int[n];
      for (int i = 0; i < n; i++) {
        values[i] = (int) integer(elements.get(i), datatype, path, i);
      }
      return values;
    }
    if (arrayType == long[].class) {
      long[] values = new long[n];
      for (int i = 0; i < n; i++) {
        values[i] = integer(elements.get(i), datatype, path, i);
      }
      return values;
    }
    if (arrayType == boolean[].class) {
      boolean[] values = new boolean[n];
      for (int i = 0; i < n; i++) {
        JsonNode element = elements.get(i);
        if (!element.isBoolean()) {
          throw elementViolation(path, i, "a boolean", element);
        }
        values[i] = element.asBoolean();
      }
      return values;
    }
    String[] values = new String[n];
    for (int i = 0; i < n; i++) {
      JsonNode element = elements.get(i);
      if (!element.isString()) {
        throw elementViolation(path, i, "a string", element);
      }
      values[i] = element.asString();
    }
    return values;
  }

  private static Number number(JsonNode element, Datatype datatype, String path, int index) {
    if (!element.isNumber()) {
      throw elementViolation(path, index, "a number for " + datatype, element);
    }
    return element.numberValue();
  }

  private static long integer(JsonNode element, Datatype datatype, String path, int index) {
    if (!element.isIntegralNumber() || !element.canConvertToLong()) {
      throw elementViolation(path, index, "an integer for " + datatype, element);
    }
    long value = element.asLong();
    if (value < datatype.min() || value > datatype.max()) {
      throw elementViolation(
          path,
          index,
          "an integer in " + datatype.min() + ".." + datatype.max() + " for " + datatype,
          element);
    }
    return value;
  }

  private static ContractViolation elementViolation(
      String path, int index, String expected, JsonNode actual) {
    return new ContractViolation(
        path + "[" + index + "]", "expected " + expected + ", was " + describe(actual));
  }

  static String describe(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "missing";
    }
    String text = node.toString();
    String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
    return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + shown;
  }
}
