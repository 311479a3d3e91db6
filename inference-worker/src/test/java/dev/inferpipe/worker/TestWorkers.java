package dev.inferpipe.worker;

import static org.awaitility.Awaitility.await;

import dev.inferpipe.contracts.TopicNames;
import dev.inferpipe.localrun.TestKafka;
import dev.inferpipe.worker.kafka.ModelAnnouncer;
import java.time.Duration;
import java.util.stream.Stream;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts a real worker in the test's JVM against the test broker, on a random port; shared by every
 * module's tests through the worker's test-jar. Settings are command-line arguments, so they win
 * over {@code application.yaml}. It returns once the worker has joined its group and announced its
 * model, so that an ingress started afterwards finds the model served.
 */
public final class TestWorkers {
  private TestWorkers() {}

  /** A worker serving {@code model} with the runner {@code kind}, plus any extra settings. */
  public static ConfigurableApplicationContext start(
      TopicNames topics, String model, String kind, String... extraArgs) {
    return start(TestKafka.bootstrapServers(), topics, model, kind, extraArgs);
  }

  /**
   * As {@link #start(TopicNames, String, String, String...)}, on the broker at {@code bootstrap}.
   */
  public static ConfigurableApplicationContext start(
      String bootstrap, TopicNames topics, String model, String kind, String... extraArgs) {
    ConfigurableApplicationContext worker =
        startWithoutWaiting(bootstrap, topics, model, kind, extraArgs);
    ModelAnnouncer announcer = worker.getBean(ModelAnnouncer.class);
    await("worker announced").atMost(Duration.ofSeconds(60)).until(announcer::isAnnounced);
    return worker;
  }

  /**
   * Starts a worker and returns as soon as its context runs, whether or not it can join its group
   * (a worker that Kafka refuses).
   */
  public static ConfigurableApplicationContext startWithoutWaiting(
      String bootstrap, TopicNames topics, String model, String kind, String... extraArgs) {
    return new SpringApplicationBuilder(WorkerApplication.class)
        .run(
            Stream.concat(
                    Stream.of(
                        "--spring.kafka.bootstrap-servers=" + bootstrap,
                        "--server.port=0",
                        "--worker.topic-prefix=" + topics.prefix(),
                        "--worker.model.name=" + model,
                        "--worker.model.kind=" + kind),
                    Stream.of(extraArgs))
                .toArray(String[]::new));
  }
}
