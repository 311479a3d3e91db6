package dev.inferpipe.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferpipe.settings.WorkerStopBudget;
import java.io.StringReader;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The worker pod's grace period and the worker's stop agree: the reply timeout the overlay gives
 * the worker, put through the worker's own {@link WorkerStopBudget}, plus the preStop pause, is
 * shorter than the grace period, and Spring's shutdown phase allows the whole stop.
 */
class ShutdownBudgetTest {
  @ParameterizedTest
  @ValueSource(
      strings = {"development", "production", "high-throughput", "cost-optimized", "low-latency"})
  void theWorkersGracePeriodCoversItsRealStop(String name) throws Exception {
    Map<String, String> overlay = OverlayRenderer.render(Repository.layout().catalog().load(name));
    Properties settings = new Properties();
    settings.load(new StringReader(overlay.get("worker.properties")));
    Duration replyTimeout = springDuration(settings.getProperty("worker.reply-timeout"));
    Duration stop = new WorkerStopBudget(replyTimeout).total();

    JsonNode deployment = ManifestValidator.documents(overlay.get("worker-patch.yaml")).get(0);
    long grace =
        deployment
            .path("spec")
            .path("template")
            .path("spec")
            .path("terminationGracePeriodSeconds")
            .asLong();

    assertThat(Duration.ofSeconds(grace)).isGreaterThan(ShutdownBudget.PRE_STOP.plus(stop));
    assertThat(springDuration(settings.getProperty("spring.lifecycle.timeout-per-shutdown-phase")))
        .isGreaterThanOrEqualTo(stop);
  }

  /** A duration as Spring Boot reads the rendered files' values: 30s, 1m, 500ms. */
  private static Duration springDuration(String value) {
    assertThat(value).matches("[0-9]+(ms|s|m)");
    long amount = Long.parseLong(value.replaceAll("[a-z]+$", ""));
    return switch (value.replaceAll("^[0-9]+", "")) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      default -> Duration.ofMinutes(amount);
    };
  }
}
