package dev.inferpipe.worker;

import dev.inferpipe.contracts.TopicNames;
import dev.inferpipe.localrun.TestKafka;
import java.util.stream.Stream;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts a real worker in the test's JVM against the test broker, on a random port; shared by every
 * module's tests through the worker's test-jar. Settings are command-line arguments, so they win
 * over {@code application.yaml}.
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
