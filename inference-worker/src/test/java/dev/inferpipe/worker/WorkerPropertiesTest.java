package dev.inferpipe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inferpipe.worker.batch.AdaptiveBatchController;
import dev.inferpipe.worker.batch.BatchPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The worker's settings, bound as Spring binds them from the command line. */
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

  @Test
  void theInstanceIsNamedByItsSettingElseByHostAndProcess() {
    assertThat(bind(Map.of("worker.instance-id", "pod-3")).effectiveInstanceId())
        .isEqualTo("pod-3");
    assertThat(bind(Map.of()).effectiveInstanceId())
        .endsWith("-" + ProcessHandle.current().pid())
        .doesNotContain("/");
  }

  @Test
  void announcementSettingsAreChecked() {
    assertThatThrownBy(() -> bind(Map.of("worker.instance-id", "a/b")))
        .hasRootCauseMessage("worker.instance-id must not contain '/', was 'a/b'");
    assertThatThrownBy(() -> bind(Map.of("worker.announce-interval", "10ms")))
        .hasRootCauseMessage("worker.announce-interval must be between 100ms and 1m, was PT0.01S");
  }
}
