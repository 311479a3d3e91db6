package dev.inferpipe.ingress;

import static org.awaitility.Awaitility.await;

import dev.inferpipe.contracts.ModelAnnouncement;
import dev.inferpipe.contracts.ModelMetadata;
import dev.inferpipe.contracts.TopicNames;
import dev.inferpipe.localrun.TestKafka;
import dev.inferpipe.worker.TestWorkers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Workers and ingress instances started in this JVM against the test broker, for one test class.
 */
final class LocalPipeline implements AutoCloseable {
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();
  final TopicNames topics;

  LocalPipeline(TopicNames topics) {
    this.topics = topics;
  }

  /** Starts a worker serving {@code model} with the model runner {@code kind}. */
  ConfigurableApplicationContext startWorker(String model, String kind, String... extraArgs) {
    return startWorkerOn(TestKafka.bootstrapServers(), model, kind, extraArgs);
  }

  /** Starts a worker that Kafka refuses: it cannot announce its model. */
  ConfigurableApplicationContext startRefusedWorkerOn(
      String bootstrap, String model, String kind, String... extraArgs) {
    return closedAtTheEnd(
        TestWorkers.startWithoutWaiting(bootstrap, topics, model, kind, extraArgs));
  }

  /** Starts a worker on the broker at {@code bootstrap}; returns once it announced its model. */
  ConfigurableApplicationContext startWorkerOn(
      String bootstrap, String model, String kind, String... extraArgs) {
    return closedAtTheEnd(TestWorkers.start(bootstrap, topics, model, kind, extraArgs));
  }

  private ConfigurableApplicationContext closedAtTheEnd(ConfigurableApplicationContext context) {
    contexts.add(context);
    return context;
  }

  /**
   * Writes {@code model}'s model record on the models topic, as its first worker would: the model
   * is then known, with no worker running. {@code scalesFromZero}: requests for it are queued
   * rather than refused.
   */
  void announceWithoutWorker(String model, boolean scalesFromZero) throws Exception {
    ModelAnnouncement record =
        ModelAnnouncement.instance(
                new ModelMetadata(model, List.of("1"), "simulated", List.of(), List.of()),
                1,
                scalesFromZero,
                "gone",
                System.currentTimeMillis(),
                Duration.ofSeconds(1))
            .modelRecord();
    try (var producer = TestKafka.producer()) {
      producer.send(new ProducerRecord<>(topics.models(), record.key(), record.encode())).get();
    }
  }

  /**
   * Starts an ingress instance and waits until it reports ready and {@code model}'s worker has
   * announced it; returns its base URI.
   */
  Ingress startIngress(int index, String model, String... extraArgs) {
    return startIngress(TestKafka.bootstrapServers(), index, model, true, extraArgs);
  }

  /**
   * Starts an ingress instance; with {@code awaitReady}, waits until it reports ready and {@code
   * model} is ready on it (a worker announced it).
   */
  Ingress startIngress(
      String bootstrap, int index, String model, boolean awaitReady, String... extraArgs) {
    ConfigurableApplicationContext ingress =
        new SpringApplicationBuilder(IngressApplication.class)
            .run(
                Stream.concat(
                        Stream.of(
                            "--spring.kafka.bootstrap-servers=" + bootstrap,
                            "--server.port=0",
                            "--ingress.topic-prefix=" + topics.prefix(),
                            "--ingress.instance-index=" + index),
                        Stream.of(extraArgs))
                    .toArray(String[]::new));
    contexts.add(ingress);
    int port = ((WebServerApplicationContext) ingress).getWebServer().getPort();
    Ingress handle = new Ingress(URI.create("http://127.0.0.1:" + port), ingress);
    if (awaitReady) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  handle.get("/v2/health/ready").statusCode() == 200
                      && handle.get("/v2/models/" + model + "/ready").statusCode() == 200);
    }
    return handle;
  }

  @Override
  public void close() {
    for (int i = contexts.size() - 1; i >= 0; i--) {
      contexts.get(i).close();
    }
  }

  /** One running ingress instance. */
  record Ingress(URI base, ConfigurableApplicationContext context) {
    HttpResponse<String> get(String path) throws Exception {
      return HTTP.send(
          HttpRequest.newBuilder(base.resolve(path)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    }

    HttpRequest.Builder infer(String model, byte[] body) {
      return HttpRequest.newBuilder(base.resolve("/v2/models/" + model + "/infer"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    HttpResponse<String> post(String model, byte[] body) throws Exception {
      return HTTP.send(infer(model, body).build(), HttpResponse.BodyHandlers.ofString());
    }

    <T> T bean(Class<T> type) {
      return context.getBean(type);
    }
  }
}
