package dev.inferpipe.worker.batch;

/**
 * The forward pass's cost as {@code a + b·n} milliseconds for a batch of n, fitted by least squares
 * over recent batches (older ones weigh less). It extrapolates only once it has seen batches of
 * different sizes. Not thread-safe: its owner guards it.
 */
final class ComputeCostModel {
  private static final double DECAY = 0.98;
  private static final double MIN_SIZE_VARIANCE = 0.25;
  private double weight;
  private double sumN;
  private double sumT;
  private double sumNN;
  private double sumNT;

  void add(int size, double millis) {
    weight = weight * DECAY + 1;
    sumN = sumN * DECAY + size;
    sumT = sumT * DECAY + millis;
    sumNN = sumNN * DECAY + (double) size * size;
    sumNT = sumNT * DECAY + size * millis;
  }

  /** The recent batches' mean cost in milliseconds; 0 before any batch. */
  double meanMillis() {
    return weight == 0 ? 0 : sumT / weight;
  }

  /** True once batches of different sizes were seen, so that {@link #predict} can extrapolate. */
  boolean isFitted() {
    if (weight == 0) {
      return false;
    }
    double meanN = sumN / weight;
    return sumNN / weight - meanN * meanN >= MIN_SIZE_VARIANCE;
  }

  /** Expected milliseconds for a batch of {@code size}; only meaningful when {@link #isFitted}. */
  double predict(int size) {
    double meanN = sumN / weight;
    double meanT = sumT / weight;
    double varianceN = sumNN / weight - meanN * meanN;
    double b = Math.max(0, (sumNT / weight - meanN * meanT) / varianceN);
    double a = Math.max(0, meanT - b * meanN);
    return a + b * size;
  }

  /** The largest batch of 1 to {@code max} items expected to take at most {@code millis}. */
  int largestWithin(double millis, int max) {
    int low = 1;
    int high = max;
    while (low < high) {
      int mid = (low + high + 1) >>> 1;
      if (predict(mid) <= millis) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return low;
  }
}
