package dev.inferpipe.worker.batch;

/**
 * What one batch looked like and how long its parts took, for a {@link BatchTuning} that learns.
 *
 * @param size the items in the batch
 * @param cap the effective cap the batch was taken with
 * @param computeNanos the forward pass
 * @param serviceNanos from taking the batch until its replies were handed to the producer
 * @param queuedMillis each item's time from enqueue to dequeue (items without an enqueue time are
 *     left out)
 */
public record BatchObservation(
    int size, int cap, long computeNanos, long serviceNanos, long[] queuedMillis) {}
