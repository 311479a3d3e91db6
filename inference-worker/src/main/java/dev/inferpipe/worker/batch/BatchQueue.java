package dev.inferpipe.worker.batch;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * The one queue of a model's requests, between whoever fetches them and the executors that run
 * them. The queue, not where a request came from, decides how large a batch is: a free executor
 * takes everything queued, up to the cap, and waits for more only while fewer than the cap are
 * queued, the batch wait since the oldest request arrived has not passed (Triton's {@code
 * max_queue_delay}), the oldest request's deadline still allows it, and the recent arrival rate
 * predicts at least one more request before the wait runs out. That last condition keeps a lone
 * request at light load from waiting for company that is not coming: at 20 requests/s a 5 ms wait
 * would gain a tenth of a request. Requests whose deadline has passed leave the queue beside the
 * batch, without taking a place in it.
 *
 * <p>The queue never refuses an item: {@link #size()} tells its feeder when to stop fetching (the
 * Kafka fetcher pauses its partitions above {@code capacity}).
 *
 * <p>Thread-safe: every field below is guarded by {@code lock}.
 */
public final class BatchQueue<T> {
  /** A batch to run, and the requests that expired while queued (to answer without compute). */
  public record Batch<T>(List<T> items, List<T> expired, long oldestArrivalNanos) {
    public boolean isEmpty() {
      return items.isEmpty() && expired.isEmpty();
    }
  }

  /** {@code deadlineNanos} is {@link #NO_DEADLINE} when nobody stops waiting. */
  private record Entry<T>(T item, long arrivalNanos, long deadlineNanos) {
    boolean expiredAt(long nowNanos) {
      return deadlineNanos != NO_DEADLINE && deadlineNanos - nowNanos <= 0;
    }
  }

  private static final long NO_DEADLINE = Long.MAX_VALUE;

  private final BatchTuning tuning;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Entry<T>> entries = new ArrayDeque<>();
  private final ArrivalRate arrivals;
  private boolean draining;

  public BatchQueue(BatchTuning tuning) {
    this(tuning, ArrivalRate.DEFAULT_HORIZON);
  }

  /** A queue whose arrival rate follows the load over {@code rateHorizon}. */
  BatchQueue(BatchTuning tuning, Duration rateHorizon) {
    this.tuning = tuning;
    this.arrivals = new ArrivalRate(rateHorizon);
  }

  /**
   * Queues {@code item}, which arrived now and whose caller stops waiting at {@code
   * deadlineEpochMs} ({@link Long#MAX_VALUE}: never).
   */
  public void add(T item, long deadlineEpochMs) {
    addAll(List.of(item), i -> deadlineEpochMs);
  }

  /** Queues {@code items} in order, as {@link #add} does, waking the executors once. */
  public void addAll(List<T> items, ToLongFunction<T> deadlineEpochMs) {
    if (items.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    long nowMillis = System.currentTimeMillis();
    lock.lock();
    try {
      for (T item : items) {
        entries.addLast(
            new Entry<>(
                item, now, deadlineNanos(now, nowMillis, deadlineEpochMs.applyAsLong(item))));
      }
      arrivals.arrived(items.size(), now);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private static long deadlineNanos(long nowNanos, long nowMillis, long deadlineEpochMs) {
    long leftMillis = deadlineEpochMs - nowMillis;
    if (deadlineEpochMs == Long.MAX_VALUE || leftMillis > TimeUnit.DAYS.toMillis(365)) {
      return NO_DEADLINE;
    }
    long deadline = nowNanos + TimeUnit.MILLISECONDS.toNanos(leftMillis);
    return deadline == NO_DEADLINE ? deadline - 1 : deadline;
  }

  /**
   * Takes the next batch: at once if a full batch is queued, else once the batch wait since the
   * oldest request has passed (or its deadline is near, or no more arrivals are expected within
   * it); an empty batch if nothing arrives within {@code idleTimeout}. While {@link #drain
   * draining}, it takes what is queued without waiting.
   */
  public Batch<T> take(Duration idleTimeout) throws InterruptedException {
    long idleUntil = System.nanoTime() + idleTimeout.toNanos();
    lock.lockInterruptibly();
    try {
      while (true) {
        long now = System.nanoTime();
        if (entries.isEmpty()) {
          if (now - idleUntil >= 0) {
            return new Batch<>(List.of(), List.of(), now);
          }
          changed.awaitNanos(idleUntil - now);
          continue;
        }
        int cap = tuning.maxBatchSize();
        Entry<T> oldest = entries.peekFirst();
        long fillUntil = oldest.arrivalNanos() + tuning.maxWait().toNanos();
        if (oldest.deadlineNanos() != NO_DEADLINE && oldest.deadlineNanos() - fillUntil < 0) {
          fillUntil = oldest.deadlineNanos();
        }
        if (draining
            || entries.size() >= cap
            || now - fillUntil >= 0
            || arrivals.expectedWithin(fillUntil - now, now) < 1) {
          return form(cap, now);
        }
        changed.awaitNanos(fillUntil - now);
      }
    } finally {
      lock.unlock();
    }
  }

  private Batch<T> form(int cap, long now) {
    List<T> items = new ArrayList<>(Math.min(cap, entries.size()));
    List<T> expired = new ArrayList<>(0);
    long oldestArrival = entries.peekFirst().arrivalNanos();
    while (items.size() < cap && !entries.isEmpty()) {
      Entry<T> entry = entries.pollFirst();
      (entry.expiredAt(now) ? expired : items).add(entry.item());
    }
    return new Batch<>(items, expired, oldestArrival);
  }

  /** Removes and returns the queued items that match, for example those of a revoked partition. */
  public List<T> removeIf(Predicate<T> which) {
    List<T> removed = new ArrayList<>();
    lock.lock();
    try {
      for (Iterator<Entry<T>> it = entries.iterator(); it.hasNext(); ) {
        Entry<T> entry = it.next();
        if (which.test(entry.item())) {
          removed.add(entry.item());
          it.remove();
        }
      }
      return removed;
    } finally {
      lock.unlock();
    }
  }

  /** From now on, batches are taken without waiting to fill: the feeder has stopped. */
  public void drain() {
    lock.lock();
    try {
      draining = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The requests waiting for an executor. */
  public int size() {
    lock.lock();
    try {
      return entries.size();
    } finally {
      lock.unlock();
    }
  }

  /** The batch shape in force, for logs and metrics. */
  public BatchTuning tuning() {
    return tuning;
  }
}
