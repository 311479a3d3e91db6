package dev.inferpipe.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.inferpipe.contracts.Datatype;
import java.lang.reflect.Array;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Moves tensor data between the contract's flat Java arrays and DJL's NDArrays. */
final class TensorConversion {
  private static final Set<Datatype> SUPPORTED =
      EnumSet.of(Datatype.FP32, Datatype.FP64, Datatype.INT32, Datatype.INT64, Datatype.BOOL);

  private TensorConversion() {}

  static void requireSupported(Datatype datatype, String what) {
    if (!SUPPORTED.contains(datatype)) {
      throw new IllegalArgumentException(
          what + " is " + datatype + "; TorchScript models take one of " + SUPPORTED);
    }
  }

  /** One NDArray of {@code shape} from the parts' flat arrays, concatenated in order. */
  static NDArray toNDArray(NDManager manager, Datatype datatype, List<Object> parts, Shape shape) {
    Object all = concat(datatype.arrayType().getComponentType(), parts);
    return switch (datatype) {
      case FP32 -> manager.create((float[]) all, shape);
      case FP64 -> manager.create((double[]) all, shape);
      case INT32 -> manager.create((int[]) all, shape);
      case INT64 -> manager.create((long[]) all, shape);
      case BOOL -> manager.create((boolean[]) all, shape);
      default ->
          throw new InvalidInputException(datatype + " is not supported by TorchScript models");
    };
  }

  static Object toJavaArray(NDArray array) {
    return switch (array.getDataType()) {
      case FLOAT32 -> array.toFloatArray();
      case FLOAT64 -> array.toDoubleArray();
      case INT32 -> array.toIntArray();
      case INT64 -> array.toLongArray();
      case BOOLEAN -> array.toBooleanArray();
      default -> array.toType(DataType.FLOAT32, false).toFloatArray();
    };
  }

  static Datatype datatypeOf(NDArray array) {
    return switch (array.getDataType()) {
      case FLOAT64 -> Datatype.FP64;
      case INT32 -> Datatype.INT32;
      case INT64 -> Datatype.INT64;
      case BOOLEAN -> Datatype.BOOL;
      default -> Datatype.FP32;
    };
  }

  static Object slice(Object array, int offset, int length) {
    Object part = Array.newInstance(array.getClass().getComponentType(), length);
    System.arraycopy(array, offset, part, 0, length);
    return part;
  }

  private static Object concat(Class<?> component, List<Object> parts) {
    int total = 0;
    for (Object part : parts) {
      total += Array.getLength(part);
    }
    if (parts.size() == 1) {
      return parts.get(0);
    }
    Object all = Array.newInstance(component, total);
    int offset = 0;
    for (Object part : parts) {
      int length = Array.getLength(part);
      System.arraycopy(part, 0, all, offset, length);
      offset += length;
    }
    return all;
  }
}
