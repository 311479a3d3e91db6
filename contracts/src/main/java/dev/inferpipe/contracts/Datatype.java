package dev.inferpipe.contracts;

/**
 * Tensor element types of the Open Inference Protocol v2, with the Java array that holds each one
 * once decoded.
 */
public enum Datatype {
  BOOL(boolean[].class, 0, 0),
  UINT8(int[].class, 0, 255),
  UINT16(int[].class, 0, 65_535),
  UINT32(long[].class, 0, 4_294_967_295L),
  UINT64(long[].class, 0, Long.MAX_VALUE),
  INT8(int[].class, Byte.MIN_VALUE, Byte.MAX_VALUE),
  INT16(int[].class, Short.MIN_VALUE, Short.MAX_VALUE),
  INT32(int[].class, Integer.MIN_VALUE, Integer.MAX_VALUE),
  INT64(long[].class, Long.MIN_VALUE, Long.MAX_VALUE),
  FP16(float[].class, 0, 0),
  FP32(float[].class, 0, 0),
  FP64(double[].class, 0, 0),
  BYTES(String[].class, 0, 0);

  private final Class<?> arrayType;
  private final long min;
  private final long max;

  Datatype(Class<?> arrayType, long min, long max) {
    this.arrayType = arrayType;
    this.min = min;
    this.max = max;
  }

  /** The Java array type that holds this datatype's elements, flattened in row-major order. */
  public Class<?> arrayType() {
    return arrayType;
  }

  /** True for the integer types, whose values must lie within {@link #min()}..{@link #max()}. */
  public boolean isInteger() {
    return arrayType == int[].class || arrayType == long[].class;
  }

  public long min() {
    return min;
  }

  public long max() {
    return max;
  }

  /** Parses a wire name such as {@code "FP32"}; returns null when the name is unknown. */
  public static Datatype fromWire(String name) {
    for (Datatype type : values()) {
      if (type.name().equals(name)) {
        return type;
      }
    }
    return null;
  }
}
