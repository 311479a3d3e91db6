package dev.inferpipe.autoscaler;

/**
 * One partition of the request topic as the scaler sees it.
 *
 * @param partition the partition number
 * @param latest the partition's latest offset (the next offset a producer writes)
 * @param committed the consumer group's committed offset, or {@link #NONE} when it has none
 */
public record PartitionOffsets(int partition, long latest, long committed) {
  /** No committed offset: the group has never committed on this partition. */
  public static final long NONE = -1;

  public PartitionOffsets {
    if (latest < 0) {
      throw new IllegalArgumentException(
          "latest offset of partition " + partition + " must be 0 or more, was " + latest);
    }
    if (committed < NONE) {
      throw new IllegalArgumentException(
          "committed offset of partition "
              + partition
              + " must be -1 (none) or more, was "
              + committed);
    }
  }

  public boolean hasCommittedOffset() {
    return committed != NONE;
  }
}
