package dev.inferpipe.worker.batch;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Builds batches against a deadline: take what has arrived, then keep polling for the remaining
 * fill time (measured with {@link System#nanoTime()}) until the batch is full. Items polled beyond
 * the batch's size wait, in order, at the head of the next batch.
 *
 * <p>Not thread-safe: each consumer thread owns one assembler.
 */
public final class BatchAssembler<T> {
  private final RecordSource<T> source;
  private final BatchPolicy policy;
  private final ArrayDeque<T> carried = new ArrayDeque<>();

  public BatchAssembler(RecordSource<T> source, BatchPolicy policy) {
    this.source = source;
    this.policy = policy;
  }

  /**
   * Returns the next batch, or an empty list if nothing arrived within {@code idleTimeout}. Once
   * the first item is in hand, waits at most the policy's fill time for more.
   */
  public List<T> next(Duration idleTimeout) {
    int max = policy.maxBatchSize();
    List<T> batch = new ArrayList<>(max);
    drainCarried(batch, max);
    if (batch.isEmpty()) {
      take(source.poll(idleTimeout), batch, max);
      if (batch.isEmpty()) {
        return batch;
      }
    }
    long fillDeadline = System.nanoTime() + policy.maxWait().toNanos();
    while (batch.size() < max) {
      long remaining = fillDeadline - System.nanoTime();
      if (remaining <= 0) {
        break;
      }
      take(source.poll(Duration.ofNanos(remaining)), batch, max);
    }
    return batch;
  }

  /** Forgets carried items that match, for example those of partitions this consumer lost. */
  public void discardCarried(Predicate<T> which) {
    carried.removeIf(which);
  }

  /** Removes and returns every carried item, for a consumer that rewinds to retry. */
  public List<T> takeCarried() {
    List<T> all = new ArrayList<>(carried);
    carried.clear();
    return all;
  }

  /** The number of items polled but not yet handed out in a batch. */
  public int carriedCount() {
    return carried.size();
  }

  private void drainCarried(List<T> batch, int max) {
    while (batch.size() < max && !carried.isEmpty()) {
      batch.add(carried.pollFirst());
    }
  }

  private void take(List<T> polled, List<T> batch, int max) {
    for (T item : polled) {
      if (batch.size() < max) {
        batch.add(item);
      } else {
        carried.addLast(item);
      }
    }
  }
}
