package dev.inferpipe.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferpipe.worker.batch.AdaptiveBatchController;
import dev.inferpipe.worker.batch.BatchPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The batching mode's settings, bound as Spring binds them from the command line. */
class WorkerPropertiesTest {
  private static WorkerProperties bind(Map<String, String> settings) {
    return new Binder(new MapConfigurationPropertySource(settings))
        .bindOrCreate("worker", WorkerProperties.class);
  }

  @Test
  void batchingIsFixedByDefault() {
    assertThat(bind(Map.of("worker.batch-wait", "5ms")).batchTuning(Clock.systemUTC()))
        .isEqualTo(new BatchPolicy(64, Duration.ofMillis(5)));
  }

  @Test
  void adaptiveBatchingTakesItsTargetAndBounds() {
    WorkerProperties properties =
        bind(
            Map.of(
                "worker.batching", "adaptive",
                "worker.batch-size", "32",
                "worker.batch-wait", "80ms",
                "worker.adaptive.target-p99", "250ms",
                "worker.adaptive.max-wait", "20ms"));

    var tuning = properties.batchTuning(Clock.systemUTC());

    assertThat(tuning).isInstanceOf(AdaptiveBatchController.class);
    assertThat(tuning.maxBatchSize()).isEqualTo(32);
    assertThat(tuning.maxWait()).isEqualTo(Duration.ofMillis(20)); // the start, within max-wait
    assertThat(tuning.toString()).contains("target p99 250 ms");
  }
}
