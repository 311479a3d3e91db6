package dev.inferpipe.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferpipe.contracts.TopicNames;
import dev.inferpipe.ingress.IngressApplication;
import dev.inferpipe.localrun.TestKafka;
import dev.inferpipe.worker.TestWorkers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** {@code ./loadgen run} against a real ingress (and worker, and broker) that needs API keys. */
class IngressApiKeyLoadTest {
  private static final String MODEL = "guarded";
  private static final String KEY = "k-0123456789abcdef-load";
  private static ConfigurableApplicationContext worker;
  private static ConfigurableApplicationContext ingress;
  private static String target;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    TopicNames topics = TestKafka.newTopics(1, 1, MODEL);
    worker = TestWorkers.start(topics, MODEL, "simulated");
    ingress =
        new SpringApplicationBuilder(IngressApplication.class)
            .run(
                "--spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(),
                "--server.port=0",
                "--ingress.topic-prefix=" + topics.prefix(),
                "--ingress.instance-index=0",
                "--ingress.api-keys[0].key=" + KEY);
    target = "http://127.0.0.1:" + ((WebServerApplicationContext) ingress).getWebServer().getPort();
    HttpClient http = HttpClient.newHttpClient();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                http.send(
                            HttpRequest.newBuilder(URI.create(target + "/v2/health/ready")).build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                    == 200);
  }

  @AfterAll
  static void stop() {
    ingress.close();
    worker.close();
  }

  private Cli load(String name, String... headers) {
    String[] args = {
      "run",
      "--target",
      target,
      "--model",
      MODEL,
      "--payload",
      "tensor",
      "--concurrency",
      "4",
      "--count",
      "40",
      "--report",
      dir.resolve(name).toString()
    };
    return Cli.run(HttpTargetTest.concat(args, headers));
  }

  @Test
  void withAnApiKeyInEitherHeaderEveryRequestIsServed() {
    Cli bearer = load("bearer", "--header", "Authorization: Bearer " + KEY);
    Cli apiKey = load("api-key", "--header", "X-API-Key: " + KEY);

    assertThat(bearer.exitCode()).as(bearer.err()).isZero();
    assertThat(apiKey.exitCode()).as(apiKey.err()).isZero();
    assertThat(Cli.report(dir.resolve("bearer")).get("completed").asLong()).isEqualTo(40);
    assertThat(Cli.report(dir.resolve("api-key")).get("completed").asLong()).isEqualTo(40);
  }

  @Test
  void withoutTheKeyEveryRequestIsRefusedAndTheRunFails() {
    Cli refused = load("refused");

    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.err()).contains("all 40 requests failed").contains("401 UNAUTHENTICATED");
  }
}
