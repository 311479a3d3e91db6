package dev.inferpipe.worker.batch;

import java.time.Duration;

/**
 * How batches are formed: at most {@code maxBatchSize} items, and once the first item is in hand,
 * at most {@code maxWait} more to fill the batch. A wait of zero never delays a lone request. The
 * fixed kind of {@link BatchTuning}: it ignores observations.
 *
 * @param maxBatchSize the most items in one batch (the consumer's {@code max.poll.records})
 * @param maxWait how long to keep filling a batch once it has its first item
 */
public record BatchPolicy(int maxBatchSize, Duration maxWait) implements BatchTuning {
  public static final int MAX_BATCH_SIZE = 1024;

  public BatchPolicy {
    if (maxBatchSize < 1 || maxBatchSize > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException(
          "maxBatchSize must be between 1 and " + MAX_BATCH_SIZE + ", was " + maxBatchSize);
    }
    if (maxWait == null || maxWait.isNegative() || maxWait.compareTo(Duration.ofSeconds(10)) > 0) {
      throw new IllegalArgumentException("maxWait must be between 0 and 10 s, was " + maxWait);
    }
  }

  @Override
  public String toString() {
    return "fixed (wait " + maxWait.toMillis() + " ms)";
  }
}
