package dev.inferpipe.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** KEDA's activation and cooldown, and the HPA's stabilization windows, over controlled time. */
class ReplicaCalculatorTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static Instant at(long seconds) {
    return T0.plusSeconds(seconds);
  }

  private static LagMetric lag(long total, ScalingSettings settings) {
    return new LagMetric(
        total, total, 4, total > 0 ? 1 : 0, total > settings.activationLagThreshold());
  }

  @Test
  void anActiveScalerScalesUpFromZeroAndAnInactiveOneStaysAtZero() {
    ScalingSettings settings = ScalingSettings.builder().activationLagThreshold(5).build();
    ReplicaCalculator calculator = new ReplicaCalculator(settings, T0);

    assertThat(calculator.next(at(1), lag(5, settings), 0).replicas()).isZero();
    assertThat(calculator.next(at(2), lag(6, settings), 0)).isEqualTo(new Decision(1, "activated"));
  }

  @Test
  void anIdleScalerScalesToZeroOnlyOnceTheCooldownHasPassedSinceItWasLastActive() {
    ScalingSettings settings =
        ScalingSettings.builder()
            .cooldownPeriod(Duration.ofSeconds(300))
            .scaleDownStabilization(Duration.ZERO)
            .build();
    ReplicaCalculator calculator = new ReplicaCalculator(settings, T0);

    assertThat(calculator.next(at(10), lag(25, settings), 1).replicas()).isEqualTo(3);
    // idle from here on: the HPA goes down to 1, KEDA waits for the cooldown
    assertThat(calculator.next(at(11), lag(0, settings), 3).replicas()).isEqualTo(1);
    assertThat(calculator.next(at(309), lag(0, settings), 1).replicas()).isEqualTo(1);
    Decision zero = calculator.next(at(310), lag(0, settings), 1);
    assertThat(zero.replicas()).isZero();
    assertThat(zero.reason()).isEqualTo("cooldown 300s passed");
  }

  @Test
  void aMinimumAboveZeroIsNeverLeftWhateverTheCooldown() {
    ScalingSettings settings =
        ScalingSettings.builder()
            .minReplicaCount(2)
            .cooldownPeriod(Duration.ZERO)
            .scaleDownStabilization(Duration.ZERO)
            .build();
    ReplicaCalculator calculator = new ReplicaCalculator(settings, T0);

    assertThat(calculator.next(at(1000), lag(0, settings), 2).replicas()).isEqualTo(2);
    assertThat(calculator.next(at(1001), lag(0, settings), 0).replicas()).isEqualTo(2);
  }

  @Test
  void aScaleDownTakesTheHighestRecommendationOfTheStabilizationWindow() {
    ScalingSettings settings =
        ScalingSettings.builder()
            .minReplicaCount(1)
            .lagThreshold(100)
            .scaleDownStabilization(Duration.ofSeconds(300))
            .build();
    ReplicaCalculator calculator = new ReplicaCalculator(settings, T0);

    assertThat(calculator.next(at(0), lag(400, settings), 1).replicas()).isEqualTo(4);
    assertThat(calculator.next(at(100), lag(200, settings), 4).replicas()).isEqualTo(4);
    assertThat(calculator.next(at(299), lag(0, settings), 4).replicas()).isEqualTo(4);
    // the 4 of t=0 has left the window; the 2 of t=100 is now the highest
    assertThat(calculator.next(at(301), lag(0, settings), 4).replicas()).isEqualTo(2);
    assertThat(calculator.next(at(401), lag(0, settings), 2).replicas()).isEqualTo(1);
  }

  @Test
  void aScaleUpHappensAtOnceByDefaultAndWaitsForItsOwnWindowWhenOneIsSet() {
    ScalingSettings immediate = ScalingSettings.builder().minReplicaCount(1).build();
    ScalingSettings windowed =
        ScalingSettings.builder()
            .minReplicaCount(1)
            .scaleUpStabilization(Duration.ofSeconds(60))
            .build();
    ReplicaCalculator now = new ReplicaCalculator(immediate, T0);
    ReplicaCalculator later = new ReplicaCalculator(windowed, T0);

    assertThat(now.next(at(0), lag(5, immediate), 1).replicas()).isEqualTo(1);
    assertThat(now.next(at(1), lag(80, immediate), 1).replicas()).isEqualTo(8);

    assertThat(later.next(at(0), lag(5, windowed), 1).replicas()).isEqualTo(1);
    assertThat(later.next(at(1), lag(80, windowed), 1).replicas()).isEqualTo(1);
    assertThat(later.next(at(61), lag(80, windowed), 1).replicas()).isEqualTo(8);
  }

  @Test
  void theReasonSaysWhichRuleDecided() {
    ScalingSettings settings = ScalingSettings.builder().lagThreshold(100).build();
    ReplicaCalculator calculator = new ReplicaCalculator(settings, T0);

    assertThat(calculator.next(at(1), new LagMetric(1000, 400, 4, 4, true), 1).reason())
        .isEqualTo("hpa ceil(400/100)=4 (lag 1000 capped by partitions)");
  }
}
