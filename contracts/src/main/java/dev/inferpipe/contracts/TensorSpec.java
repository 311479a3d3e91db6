package dev.inferpipe.contracts;

import java.util.Arrays;

/**
 * What a model declares about one of its inputs or outputs; {@code -1} in the shape is a dimension
 * of any size.
 */
public record TensorSpec(String name, Datatype datatype, long[] shape) {

  /**
   * Parses the settings form {@code name:DATATYPE:dims}, dims separated by 'x' and -1 for any size,
   * e.g. {@code input:FP32:-1x4}.
   *
   * @param setting the setting's name, for the error message
   */
  public static TensorSpec parse(String setting, String value) {
    String[] parts = value.split(":");
    Datatype datatype = parts.length == 3 ? Datatype.fromWire(parts[1]) : null;
    if (datatype == null || parts[0].isEmpty()) {
      throw new IllegalArgumentException(
          setting
              + " entries must look like name:DATATYPE:dims (e.g. input:FP32:-1x4), with DATATYPE"
              + " one of "
              + Arrays.toString(Datatype.values())
              + "; was '"
              + value
              + "'");
    }
    try {
      long[] shape = Arrays.stream(parts[2].split("x")).mapToLong(Long::parseLong).toArray();
      return new TensorSpec(parts[0], datatype, shape);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          setting
              + " dims must be integers separated by 'x' (-1: any size), was '"
              + parts[2]
              + "'");
    }
  }
}
