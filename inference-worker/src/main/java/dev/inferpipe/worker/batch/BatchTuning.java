package dev.inferpipe.worker.batch;

import java.time.Duration;

/**
 * Decides the shape of the next batch and hears how each batch went: {@link BatchPolicy} keeps both
 * fixed, {@link AdaptiveBatchController} adjusts them to the load. One instance serves every
 * executor of a worker, so implementations must be thread-safe.
 */
public interface BatchTuning {
  /** The most items in the next batch: the effective cap, at most the consumer's batch size. */
  int maxBatchSize();

  /** How long the next batch may keep filling once it has its first item. */
  Duration maxWait();

  /** Hears how a batch went, once its replies are acknowledged. */
  default void observe(BatchObservation batch) {}
}
