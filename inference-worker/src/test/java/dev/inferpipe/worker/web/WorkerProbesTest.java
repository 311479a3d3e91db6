package dev.inferpipe.worker.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferpipe.contracts.TopicNames;
import dev.inferpipe.localrun.TestKafka;
import dev.inferpipe.worker.TestWorkers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real worker whose fetcher or executor loop is killed (interrupted, which ends either loop):
 * readiness, which names the model, fails at once; liveness fails once the loop has been dead
 * longer than {@code worker.liveness-bound} (its shipped 10 s), so Kubernetes would restart it.
 */
class WorkerProbesTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @ParameterizedTest
  @ValueSource(strings = {"request-fetcher-", "batch-executor-"})
  void aDeadLoopFailsReadinessAtOnceAndLivenessAfterTheBound(String loop) throws Exception {
    String model = "probed-" + loop.substring(0, loop.indexOf('-'));
    TopicNames topics = TestKafka.newTopics(1, 1, model);
    try (ConfigurableApplicationContext worker = TestWorkers.start(topics, model, "simulated")) {
      int port = ((WebServerApplicationContext) worker).getWebServer().getPort();
      await().atMost(Duration.ofSeconds(30)).until(() -> status(port, "/v2/health/ready") == 200);
      assertThat(body(port, "/v2/health/ready")).contains("\"model\":\"" + model + "\"");
      assertThat(status(port, "/v2/health/live")).isEqualTo(200);

      List<Thread> killed =
          Thread.getAllStackTraces().keySet().stream()
              .filter(thread -> thread.getName().startsWith(loop + model))
              .toList();
      assertThat(killed).hasSize(1);
      killed.get(0).interrupt();
      killed.get(0).join(Duration.ofSeconds(30).toMillis());
      assertThat(killed.get(0).isAlive()).isFalse();

      assertThat(status(port, "/v2/health/ready")).isEqualTo(503);
      await()
          .pollInterval(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(40))
          .until(() -> status(port, "/v2/health/live") == 503);
    }
  }

  private int status(int port, String path) throws Exception {
    return get(port, path).statusCode();
  }

  private String body(int port, String path) throws Exception {
    return get(port, path).body();
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
