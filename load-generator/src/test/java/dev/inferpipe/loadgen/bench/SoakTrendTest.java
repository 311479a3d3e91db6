package dev.inferpipe.loadgen.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SoakTrendTest {
  private static List<SoakBenchmark.Sample> series(double... heapMb) {
    List<SoakBenchmark.Sample> samples = new ArrayList<>();
    for (int i = 0; i < heapMb.length; i++) {
      samples.add(new SoakBenchmark.Sample(i, Map.of("worker heap MB", heapMb[i])));
    }
    return samples;
  }

  @Test
  void aHeapThatSettlesIsNotALeak() {
    // warm-up growth in the first half, then noise around a level
    assertThat(SoakBenchmark.Trend.growing(series(40, 80, 110, 120, 121, 119, 122, 120, 121, 120)))
        .isEmpty();
  }

  @Test
  void aHeapThatKeepsGrowingIsALeak() {
    // 2 MB a minute: 120 MB an hour, against an allowance of a quarter of ~110 MB plus 8 MB
    assertThat(
            SoakBenchmark.Trend.growing(series(100, 102, 104, 106, 108, 110, 112, 114, 116, 118)))
        .singleElement()
        .asString()
        .startsWith("worker heap MB");
  }

  @Test
  void tooFewSamplesSayNothing() {
    assertThat(SoakBenchmark.Trend.growing(series(1, 100, 1000, 10000))).isEmpty();
  }
}
