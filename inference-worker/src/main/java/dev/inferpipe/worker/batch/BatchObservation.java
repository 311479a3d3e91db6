package dev.inferpipe.worker.batch;

/**
 * What one batch looked like and how long its parts took, for a {@link BatchTuning} that learns.
 *
 * @param size the items in the batch
 * @param cap the effective cap the batch was assembled with
 * @param fillNanos how long the batch kept filling after its first item
 * @param computeNanos the forward pass
 * @param serviceMillis from dequeue until the broker acknowledged every reply
 * @param queuedMillis each item's time from enqueue to dequeue (items without an enqueue time are
 *     left out)
 */
public record BatchObservation(
    int size, int cap, long fillNanos, long computeNanos, long serviceMillis, long[] queuedMillis) {

  /** The least queue time in the batch: how long its newest item waited, or -1 if none is known. */
  public long newestQueuedMillis() {
    long min = Long.MAX_VALUE;
    for (long queued : queuedMillis) {
      min = Math.min(min, queued);
    }
    return queuedMillis.length == 0 ? -1 : min;
  }
}
