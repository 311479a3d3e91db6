package dev.inferpipe.ingress.async;

import dev.inferpipe.contracts.RequestId;
import dev.inferpipe.ingress.correlation.Reply;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * What this instance knows of the async requests it accepted and has no result for: those still
 * pending, so that polling them answers "pending" rather than "unknown", and the latest ones whose
 * deadline passed without a result, so that polling them answers 504 as a synchronous call would.
 * Both are bounded: a pending entry leaves when its reply future completes (the in-flight limit
 * bounds those), and only the {@code expiredCapacity} latest expired ids are kept.
 */
public final class PendingAsyncRequests {
  private final Set<RequestId> pending = ConcurrentHashMap.newKeySet();
  private final int expiredCapacity;
  // guarded by itself; in insertion order, so the eldest is dropped first
  private final Map<RequestId, Boolean> expired;

  public PendingAsyncRequests(int expiredCapacity) {
    this.expiredCapacity = expiredCapacity;
    this.expired =
        new LinkedHashMap<>() {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<RequestId, Boolean> eldest) {
            return size() > PendingAsyncRequests.this.expiredCapacity;
          }
        };
  }

  /** Tracks {@code id} until {@code reply} completes: result arrived, deadline, send failure. */
  public void track(RequestId id, CompletableFuture<Reply> reply) {
    pending.add(id);
    reply.whenComplete(
        (r, failure) -> {
          if (failure instanceof TimeoutException) {
            synchronized (expired) {
              expired.put(id, Boolean.TRUE);
            }
          }
          pending.remove(id);
        });
  }

  public boolean isPending(RequestId id) {
    return pending.contains(id);
  }

  /** True if the deadline of {@code id} passed here before its result arrived. */
  public boolean hasExpired(RequestId id) {
    synchronized (expired) {
      return expired.containsKey(id);
    }
  }
}
