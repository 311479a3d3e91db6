package dev.inferpipe.contracts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Arrays;
import java.util.Map;

/**
 * One named tensor of a request or a response. {@code data} is a flat, row-major Java array whose
 * type is {@link Datatype#arrayType()}: a {@code float[]} for FP32, a {@code String[]} for BYTES.
 *
 * @param name the tensor's name, as the model declares it
 * @param shape the dimensions; their product is the number of elements in {@code data}
 * @param datatype the element type
 * @param data the elements, flattened
 * @param parameters optional per-tensor parameters (may be null)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InferTensor(
    String name, long[] shape, Datatype datatype, Object data, Map<String, Object> parameters) {

  public InferTensor {
    if (data != null && datatype != null && !datatype.arrayType().isInstance(data)) {
      throw new IllegalArgumentException(
          "data of a " + datatype + " tensor must be a " + datatype.arrayType().getSimpleName());
    }
  }

  public static InferTensor of(String name, long[] shape, Datatype datatype, Object data) {
    return new InferTensor(name, shape, datatype, data, null);
  }

  public static InferTensor ofFloats(String name, long[] shape, float[] data) {
    return of(name, shape, Datatype.FP32, data);
  }

  public static InferTensor ofStrings(String name, String[] data) {
    return of(name, new long[] {data.length}, Datatype.BYTES, data);
  }

  /** The number of elements the shape describes. */
  @JsonIgnore
  public long elementCount() {
    long count = 1;
    for (long dim : shape) {
      count *= dim;
    }
    return count;
  }

  @JsonIgnore
  public float[] floats() {
    return (float[]) data;
  }

  @JsonIgnore
  public String[] strings() {
    return (String[]) data;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof InferTensor that
        && name.equals(that.name)
        && Arrays.equals(shape, that.shape)
        && datatype == that.datatype
        && Arrays.deepEquals(new Object[] {data}, new Object[] {that.data})
        && java.util.Objects.equals(parameters, that.parameters);
  }

  @Override
  public int hashCode() {
    return 31 * name.hashCode() + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return "InferTensor[" + name + " " + datatype + Arrays.toString(shape) + "]";
  }
}
