package dev.inferpipe.profiles;

import dev.inferpipe.settings.WorkerStopBudget;
import java.time.Duration;

/**
 * How long a pod may take to stop, derived from a profile. A worker stops within its {@link
 * WorkerStopBudget} (the reply timeout, the threads' margin and the producer's close), the same
 * numbers its code waits for; an ingress drains its waiting requests within {@code deadlines.max}
 * and a margin. Kubernetes must wait longer than the preStop pause plus that drain.
 */
record ShutdownBudget(Duration preStop, Duration drain, Duration grace) {
  static final Duration PRE_STOP = Duration.ofSeconds(5);
  private static final Duration MARGIN = Duration.ofSeconds(5);

  /** The worker pod's: its stop budget and a margin for the rest of the application's close. */
  static ShutdownBudget worker(PerformanceProfile profile) {
    return of(new WorkerStopBudget(profile.worker().replyTimeout()).total().plus(MARGIN));
  }

  /** The ingress's {@code ingress.close-period}: it closes connections after each answer. */
  static final Duration INGRESS_CLOSE_PERIOD = Duration.ofSeconds(2);

  /**
   * The ingress pod's: its close period, then the longest deadline a waiting request may have, and
   * a margin.
   */
  static ShutdownBudget ingress(PerformanceProfile profile) {
    return of(INGRESS_CLOSE_PERIOD.plus(profile.deadlines().maxTimeout()).plus(MARGIN));
  }

  private static ShutdownBudget of(Duration drain) {
    Duration whole = Duration.ofSeconds(Durations.seconds(drain));
    return new ShutdownBudget(PRE_STOP, whole, PRE_STOP.plus(whole).plus(MARGIN));
  }

  long graceSeconds() {
    return grace.toSeconds();
  }
}
