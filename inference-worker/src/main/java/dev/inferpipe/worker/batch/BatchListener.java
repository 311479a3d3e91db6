package dev.inferpipe.worker.batch;

/** Hears what the batch processor does, for metrics. */
public interface BatchListener {
  BatchListener NONE = new BatchListener() {};

  /** A forward pass over {@code size} items took {@code nanos}. */
  default void batchRan(int size, long nanos) {}

  /** An item was skipped because its deadline had passed. */
  default void expired(WorkItem item) {}
}
