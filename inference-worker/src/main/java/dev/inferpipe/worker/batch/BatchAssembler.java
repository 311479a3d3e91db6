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
  private final BatchTuning tuning;
  private long firstItemNanos;
  private long lastFillNanos;
  private final ArrayDeque<T> carried = new ArrayDeque<>();

  public BatchAssembler(RecordSource<T> source, BatchTuning tuning) {
    this.source = source;
    this.tuning = tuning;
  }

  /**
   * Returns the next batch, or an empty list if nothing arrived within {@code idleTimeout}. Once
   * the first item is in hand, waits at most the tuning's fill time for more. The size and wait are
   * read anew for each batch, so an adaptive tuning takes effect at the next batch.
   */
  public List<T> next(Duration idleTimeout) {
    int max = tuning.maxBatchSize();
    lastFillNanos = 0;
    List<T> batch = new ArrayList<>(max);
    drainCarried(batch, max);
    if (batch.isEmpty()) {
      take(source.poll(idleTimeout), batch, max);
      if (batch.isEmpty()) {
        return batch;
      }
    }
    firstItemNanos = System.nanoTime();
    long fillDeadline = firstItemNanos + tuning.maxWait().toNanos();
    while (batch.size() < max) {
      long remaining = fillDeadline - System.nanoTime();
      if (remaining <= 0) {
        break;
      }
      take(source.poll(Duration.ofNanos(remaining)), batch, max);
    }
    lastFillNanos = System.nanoTime() - firstItemNanos;
    return batch;
  }

  /** When ({@link System#nanoTime()}) the last batch had its first item in hand. */
  public long firstItemNanos() {
    return firstItemNanos;
  }

  /** How long the last batch kept filling after its first item (0 if it filled at once). */
  public long lastFillNanos() {
    return lastFillNanos;
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
