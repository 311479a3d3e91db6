package dev.inferpipe.contracts;

/**
 * What a model declares about one of its inputs or outputs; {@code -1} in the shape is a dimension
 * of any size.
 */
public record TensorSpec(String name, Datatype datatype, long[] shape) {}
