package dev.inferpipe.worker.batch;

/**
 * What one batch looked like and how long its parts took, for a {@link BatchTuning} that learns.
 *
 * @param size the items in the batch
 * @param cap the effective cap the batch was assembled with
 * @param idleNanos how long its consumer had waited, after the previous batch, for this batch's
 *     first item (0 if work was already waiting)
 * @param fillNanos how long the batch kept filling after its first item
 * @param computeNanos the forward pass
 * @param serviceNanos from dequeue until the broker acknowledged every reply
 * @param queuedMillis each item's time from enqueue to dequeue (items without an enqueue time are
 *     left out)
 */
public record BatchObservation(
    int size,
    int cap,
    long idleNanos,
    long fillNanos,
    long computeNanos,
    long serviceNanos,
    long[] queuedMillis) {}
