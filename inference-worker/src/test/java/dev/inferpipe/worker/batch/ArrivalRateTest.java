package dev.inferpipe.worker.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ArrivalRateTest {
  private static final long MS = 1_000_000L;

  @Test
  void aSteadyRateIsPredictedOverAnyInterval() {
    ArrivalRate rate = new ArrivalRate(Duration.ofMillis(500));
    long now = 0;
    for (int i = 0; i < 10_000; i++) { // one arrival per ms: 1,000/s for 10 s
      now += MS;
      rate.arrived(1, now);
    }

    assertThat(rate.expectedWithin(5 * MS, now)).isCloseTo(5.0, within(0.1));
    assertThat(rate.expectedWithin(100 * MS, now)).isCloseTo(100.0, within(2.0));
  }

  @Test
  void withNoArrivalsNothingIsExpected() {
    assertThat(new ArrivalRate(Duration.ofMillis(500)).expectedWithin(5 * MS, 42)).isZero();
  }

  @Test
  void aPastBurstFadesWithinAFewHorizons() {
    ArrivalRate rate = new ArrivalRate(Duration.ofMillis(500));
    rate.arrived(1000, 0);

    assertThat(rate.expectedWithin(5 * MS, 0)).isCloseTo(10.0, within(0.01));
    assertThat(rate.expectedWithin(5 * MS, 2_500 * MS)).isLessThan(0.1);
  }
}
