package dev.inferpipe.profiles;

import java.time.Duration;

/**
 * How long a pod may take to stop, derived from a profile. A worker's batch holds requests whose
 * deadlines end at most {@code deadlines.max} after they were sent, so finishing the batch,
 * replying and committing fits in that plus the batch wait and a margin; an ingress drains its
 * waiting requests within the same bound. Kubernetes must wait longer than the preStop pause plus
 * that.
 */
record ShutdownBudget(Duration preStop, Duration drain, Duration grace) {
  static final Duration PRE_STOP = Duration.ofSeconds(5);
  private static final Duration MARGIN = Duration.ofSeconds(5);

  static ShutdownBudget of(PerformanceProfile profile) {
    Duration drain =
        profile.deadlines().maxTimeout().plus(profile.worker().batchWait()).plus(MARGIN);
    drain = Duration.ofSeconds(Durations.seconds(drain));
    return new ShutdownBudget(PRE_STOP, drain, PRE_STOP.plus(drain).plus(MARGIN));
  }

  long graceSeconds() {
    return grace.toSeconds();
  }
}
