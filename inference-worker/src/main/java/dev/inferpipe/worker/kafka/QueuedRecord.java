package dev.inferpipe.worker.kafka;

import dev.inferpipe.worker.batch.WorkItem;
import org.apache.kafka.common.TopicPartition;

/**
 * A decoded request waiting in the model's queue, with where it came from so that its answer can be
 * acknowledged to the {@link OffsetTracker}.
 *
 * @param item the request
 * @param replyTo where its answer goes
 * @param partition the request partition it was fetched from
 * @param offset its offset there
 * @param generation the partition's tracking generation when it was fetched
 * @param fetchedNanos when it was fetched ({@link System#nanoTime()})
 * @param fetchedEpochUs the same in epoch microseconds, for the reply's stage headers
 */
record QueuedRecord(
    WorkItem item,
    ReplyAddress replyTo,
    TopicPartition partition,
    long offset,
    int generation,
    long fetchedNanos,
    long fetchedEpochUs) {}
