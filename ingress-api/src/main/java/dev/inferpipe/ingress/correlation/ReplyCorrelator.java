package dev.inferpipe.ingress.correlation;

import dev.inferpipe.contracts.RequestId;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Matches replies to the requests waiting for them. A request registers before it is sent; its
 * entry leaves the map when the reply arrives, when the send fails, or at its deadline. The map is
 * bounded: {@link #register} refuses beyond the in-flight limit, so memory stays bounded under
 * overload. A reply nobody waits for (late, or a duplicate from an at-least-once redelivery) is
 * counted and dropped.
 */
public final class ReplyCorrelator {
  private static final Logger log = LoggerFactory.getLogger(ReplyCorrelator.class);

  private final ConcurrentMap<RequestId, CompletableFuture<Reply>> pending =
      new ConcurrentHashMap<>();
  private final int limit;
  // guards the limit: incremented before an entry is added, decremented after it is removed
  private final AtomicInteger inFlight = new AtomicInteger();
  private final LongAdder unmatched = new LongAdder();

  public ReplyCorrelator(int limit) {
    this.limit = limit;
  }

  /**
   * Registers a request that will wait at most {@code timeout}. Returns null if the in-flight limit
   * is reached. The future fails with a {@link java.util.concurrent.TimeoutException} at the
   * deadline.
   */
  public CompletableFuture<Reply> register(RequestId id, Duration timeout) {
    if (inFlight.incrementAndGet() > limit) {
      inFlight.decrementAndGet();
      return null;
    }
    CompletableFuture<Reply> future = new CompletableFuture<>();
    if (pending.putIfAbsent(id, future) != null) {
      inFlight.decrementAndGet();
      throw new IllegalStateException("request id " + id + " is already waiting");
    }
    future
        .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .whenComplete(
            (reply, failure) -> {
              if (pending.remove(id, future)) {
                inFlight.decrementAndGet();
              }
            });
    return future;
  }

  /** Completes the waiting request; returns false (and counts it) if nobody waits for it. */
  public boolean complete(RequestId id, Reply reply) {
    CompletableFuture<Reply> future = pending.get(id);
    if (future == null || !future.complete(reply)) {
      unmatched.increment();
      log.debug("dropped a reply nobody waits for (late or duplicate): {}", id);
      return false;
    }
    return true;
  }

  /**
   * Completes the request if it waits here, without counting it otherwise: every instance's results
   * store sees every async result, most of them accepted by other instances.
   */
  public void completeIfWaiting(RequestId id, Reply reply) {
    CompletableFuture<Reply> future = pending.get(id);
    if (future != null) {
      future.complete(reply);
    }
  }

  /** Fails the waiting request, for example because its record could not be sent. */
  public void fail(RequestId id, Throwable cause) {
    CompletableFuture<Reply> future = pending.get(id);
    if (future != null) {
      future.completeExceptionally(cause);
    }
  }

  public int inFlight() {
    return inFlight.get();
  }

  public int limit() {
    return limit;
  }

  /** Replies that arrived when nobody waited for them any more. */
  public long unmatchedReplies() {
    return unmatched.sum();
  }
}
