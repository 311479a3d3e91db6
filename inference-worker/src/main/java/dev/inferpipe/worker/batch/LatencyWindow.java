package dev.inferpipe.worker.batch;

import java.util.Arrays;

/**
 * The latencies of the last {@code windowMillis}, for percentiles: a ring of at most {@code
 * capacity} samples, the oldest overwritten first. Not thread-safe: its owner guards it.
 */
final class LatencyWindow {
  private final long windowMillis;
  private final long[] atMillis;
  private final long[] latencyMillis;
  private int next;
  private int count;

  LatencyWindow(long windowMillis, int capacity) {
    this.windowMillis = windowMillis;
    this.atMillis = new long[capacity];
    this.latencyMillis = new long[capacity];
  }

  void add(long nowMillis, long latency) {
    atMillis[next] = nowMillis;
    latencyMillis[next] = latency;
    next = (next + 1) % atMillis.length;
    count = Math.min(count + 1, atMillis.length);
  }

  /** Samples taken within the window before {@code nowMillis}. */
  int size(long nowMillis) {
    int in = 0;
    for (int i = 0; i < count; i++) {
      if (atMillis[i] > nowMillis - windowMillis) {
        in++;
      }
    }
    return in;
  }

  /** The {@code q} quantile (0 to 1) of the window's samples, or -1 if it holds none. */
  long quantile(long nowMillis, double q) {
    long[] in = new long[count];
    int n = 0;
    for (int i = 0; i < count; i++) {
      if (atMillis[i] > nowMillis - windowMillis) {
        in[n++] = latencyMillis[i];
      }
    }
    if (n == 0) {
      return -1;
    }
    Arrays.sort(in, 0, n);
    int rank = (int) Math.ceil(q * n) - 1;
    return in[Math.max(0, Math.min(n - 1, rank))];
  }
}
