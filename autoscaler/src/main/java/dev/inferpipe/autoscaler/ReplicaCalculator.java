package dev.inferpipe.autoscaler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Decides the replica count tick by tick as KEDA and the HPA do together. No I/O: the caller passes
 * the time, the lag reading and the current replicas.
 *
 * <ul>
 *   <li>KEDA (scale executor): at 0 replicas an active scaler scales to max(1, minReplicaCount); an
 *       inactive one with minReplicaCount 0 scales to zero once {@code cooldownPeriod} has passed
 *       since the last active moment (or since the start, if never active).
 *   <li>Otherwise the HPA: {@link KedaKafkaFormula#hpaReplicas}, stabilized: a scale-down takes the
 *       highest recommendation of the last {@code scaleDownStabilization}, a scale-up the lowest of
 *       the last {@code scaleUpStabilization} (0 by default: at once).
 * </ul>
 *
 * <p>Not thread-safe: one supervisor thread owns it.
 */
public final class ReplicaCalculator {
  private record Recommendation(Instant at, int replicas) {}

  private final ScalingSettings settings;
  private final Deque<Recommendation> recommendations = new ArrayDeque<>();
  private Instant lastActive;

  /**
   * @param started when scaling began; counts as the last active moment until the scaler is active
   */
  public ReplicaCalculator(ScalingSettings settings, Instant started) {
    this.settings = settings;
    this.lastActive = started;
  }

  public ScalingSettings settings() {
    return settings;
  }

  /** The replicas to run after this reading, given {@code current} replicas now. */
  public Decision next(Instant now, LagMetric lag, int current) {
    if (lag.active()) {
      lastActive = now;
    }
    if (current == 0) {
      if (lag.active()) {
        return new Decision(Math.max(1, settings.minReplicaCount()), "activated");
      }
      return new Decision(settings.minReplicaCount(), "inactive");
    }
    if (!lag.active() && settings.minReplicaCount() == 0) {
      Duration idle = Duration.between(lastActive, now);
      if (idle.compareTo(settings.cooldownPeriod()) >= 0) {
        recommendations.clear();
        return new Decision(0, "cooldown " + idle.toSeconds() + "s passed");
      }
    }
    int recommended = KedaKafkaFormula.unclampedHpaReplicas(lag.metric(), current, settings);
    int stabilized = stabilize(now, recommended, current);
    int replicas = KedaKafkaFormula.clamp(stabilized, settings);
    return new Decision(replicas, reason(lag, recommended, stabilized, replicas, current));
  }

  private int stabilize(Instant now, int recommended, int current) {
    recommendations.addLast(new Recommendation(now, recommended));
    Instant upCutoff = now.minus(settings.scaleUpStabilization());
    Instant downCutoff = now.minus(settings.scaleDownStabilization());
    Instant oldestKept = upCutoff.isBefore(downCutoff) ? upCutoff : downCutoff;
    while (recommendations.peekFirst().at().isBefore(oldestKept)) {
      recommendations.removeFirst();
    }
    int up = recommended;
    int down = recommended;
    for (Recommendation r : recommendations) {
      if (!r.at().isBefore(upCutoff)) {
        up = Math.min(up, r.replicas());
      }
      if (!r.at().isBefore(downCutoff)) {
        down = Math.max(down, r.replicas());
      }
    }
    return Math.min(Math.max(current, up), down);
  }

  private String reason(LagMetric lag, int recommended, int stabilized, int replicas, int current) {
    long ceil = KedaKafkaFormula.ceilDiv(lag.metric(), settings.lagThreshold());
    StringBuilder reason =
        new StringBuilder("hpa ceil(")
            .append(lag.metric())
            .append('/')
            .append(settings.lagThreshold())
            .append(")=")
            .append(ceil);
    if (lag.metric() < lag.totalLag()) {
      reason.append(" (lag ").append(lag.totalLag()).append(" capped by partitions)");
    }
    if (recommended != ceil) {
      reason.append(", within tolerance: keep ").append(current);
    }
    if (stabilized != recommended) {
      reason.append(", stabilized at ").append(stabilized);
    }
    if (replicas != stabilized) {
      reason.append(", bounded to ").append(replicas);
    }
    return reason.toString();
  }
}
