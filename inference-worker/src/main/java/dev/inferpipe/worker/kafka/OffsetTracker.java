package dev.inferpipe.worker.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which request offsets may be committed: per partition, everything below the lowest offset whose
 * answer (reply or dead letter) the broker has not acknowledged yet. Answers are acknowledged out
 * of order by several executors; a commit never passes a record that was fetched but not answered,
 * so delivery stays at-least-once.
 *
 * <p>Each fetched record carries the generation of its partition's tracking. A partition that is
 * restarted (a reply failed) or given up (revoked) gets a new generation, and acknowledgements of
 * older generations are ignored: those records run again.
 *
 * <p>Thread-safe: the fetcher thread records and commits, the producer's callbacks acknowledge;
 * {@code partitions} and each state in it are guarded by {@code this}.
 */
final class OffsetTracker {
  private static final Logger log = LoggerFactory.getLogger(OffsetTracker.class);

  private static final class PartitionState {
    final int generation;
    final TreeSet<Long> unanswered = new TreeSet<>();
    long next; // one past the last fetched offset, or the position to start from
    long abandonedFloor = Long.MAX_VALUE; // lowest record taken back unanswered
    long committed = -1;
    boolean failed;

    PartitionState(int generation, long next) {
      this.generation = generation;
      this.next = next;
    }

    /** The offset to commit: the first record not yet answered, or the next to fetch. */
    long committable() {
      long upTo = unanswered.isEmpty() ? next : unanswered.first();
      return Math.min(upTo, abandonedFloor);
    }
  }

  private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();
  private int generations;

  /** A record was fetched; returns the generation its acknowledgement must quote. */
  synchronized int fetched(TopicPartition partition, long offset) {
    PartitionState state = partitions.get(partition);
    if (state == null) {
      state = new PartitionState(++generations, offset);
      partitions.put(partition, state);
    }
    state.unanswered.add(offset);
    state.next = Math.max(state.next, offset + 1);
    return state.generation;
  }

  /**
   * The producer callback for a record's {@code sends} answers (a reply, or a dead letter and a
   * rejection): the record counts as answered once the broker has acknowledged them all, and as
   * failed if any could not be sent.
   */
  Callback onAnswers(TopicPartition partition, long offset, int generation, int sends) {
    AtomicInteger left = new AtomicInteger(sends);
    return (metadata, exception) -> {
      if (exception != null) {
        log.warn(
            "an answer to {}@{} was not acknowledged ({}); its partition runs again from the"
                + " first unanswered record",
            partition,
            offset,
            exception.toString());
        failed(partition, offset, generation);
      } else if (left.decrementAndGet() == 0) {
        answered(partition, offset, generation);
      }
    };
  }

  /** The broker acknowledged every answer of the record. */
  synchronized void answered(TopicPartition partition, long offset, int generation) {
    PartitionState state = partitions.get(partition);
    if (state != null && state.generation == generation && state.unanswered.remove(offset)) {
      notifyAll();
    }
  }

  /** An answer of the record could not be sent: its partition must run again from it. */
  synchronized void failed(TopicPartition partition, long offset, int generation) {
    PartitionState state = partitions.get(partition);
    if (state != null && state.generation == generation) {
      state.failed = true;
    }
  }

  /** Records taken back from the queue unanswered: no commit may pass them. */
  synchronized void abandoned(TopicPartition partition, long offset) {
    PartitionState state = partitions.get(partition);
    if (state != null && state.unanswered.remove(offset)) {
      state.abandonedFloor = Math.min(state.abandonedFloor, offset);
      notifyAll();
    }
  }

  /** The partitions with a failed answer, to {@link #restart}. */
  synchronized List<TopicPartition> failedPartitions() {
    return partitions.entrySet().stream()
        .filter(e -> e.getValue().failed)
        .map(Map.Entry::getKey)
        .toList();
  }

  /**
   * Starts tracking the partition afresh from its first unanswered record, under a new generation;
   * returns that offset, where the consumer must seek to run the records again.
   */
  synchronized long restart(TopicPartition partition) {
    PartitionState old = partitions.get(partition);
    long from = old.committable();
    PartitionState state = new PartitionState(++generations, from);
    state.committed = old.committed;
    partitions.put(partition, state);
    return from;
  }

  /**
   * The offsets that moved since they were last handed out, to commit; each is then taken as
   * committed (see {@link #commitFailed}).
   */
  synchronized Map<TopicPartition, OffsetAndMetadata> toCommit() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    partitions.forEach(
        (partition, state) -> {
          long offset = state.committable();
          if (offset > state.committed) {
            offsets.put(partition, new OffsetAndMetadata(offset));
            state.committed = offset;
          }
        });
    return offsets;
  }

  /** An asynchronous commit failed: hand these offsets out again next time. */
  synchronized void commitFailed(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach(
        (partition, offset) -> {
          PartitionState state = partitions.get(partition);
          if (state != null && state.committed == offset.offset()) {
            state.committed = -1;
          }
        });
  }

  /**
   * Waits until every fetched record of these partitions is answered or abandoned, at most {@code
   * timeoutNanos}; returns whether they all were.
   */
  synchronized boolean awaitAnswered(Collection<TopicPartition> which, long timeoutNanos)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    while (!allAnswered(which)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  private boolean allAnswered(Collection<TopicPartition> which) {
    for (TopicPartition partition : which) {
      PartitionState state = partitions.get(partition);
      if (state != null && !state.unanswered.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /** The fetched records not yet answered: queued, running, or with replies in flight. */
  synchronized int unansweredCount() {
    return partitions.values().stream().mapToInt(state -> state.unanswered.size()).sum();
  }

  /** Whether no fetched record of any partition waits for its answer. */
  synchronized boolean allAnswered() {
    return allAnswered(partitions.keySet());
  }

  /** Stops tracking the partitions: another worker owns them now. */
  synchronized void forget(Collection<TopicPartition> which) {
    which.forEach(partitions::remove);
    notifyAll();
  }
}
