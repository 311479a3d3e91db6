package dev.inferpipe.settings;

import java.time.Duration;

/**
 * The longest a worker takes to stop, from its reply timeout: the fetcher and the executors get the
 * reply timeout plus {@link #JOIN_MARGIN} to answer what they hold, then the producer gets {@link
 * #PRODUCER_CLOSE} to send what is left. The worker stops within it, and the profiles give the pod
 * a grace period longer than it, so that both come from the same numbers.
 *
 * @param replyTimeout the worker's {@code worker.reply-timeout}
 */
public record WorkerStopBudget(Duration replyTimeout) {
  /** Beyond the reply timeout, for the last batch's forward pass and the commit. */
  public static final Duration JOIN_MARGIN = Duration.ofSeconds(15);

  /** How long the producer may take to send and close once the threads have stopped. */
  public static final Duration PRODUCER_CLOSE = Duration.ofSeconds(10);

  /** How long stopping waits for the fetcher and the executors, together. */
  public Duration threads() {
    return replyTimeout.plus(JOIN_MARGIN);
  }

  /** The whole stop: the threads, then the producer. */
  public Duration total() {
    return threads().plus(PRODUCER_CLOSE);
  }
}
