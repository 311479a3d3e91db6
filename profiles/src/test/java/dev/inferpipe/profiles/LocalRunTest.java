package dev.inferpipe.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The local run's settings carry the profile: what {@code ./pipeline up --profile} passes on. */
class LocalRunTest {
  @ParameterizedTest
  @ValueSource(
      strings = {"development", "production", "high-throughput", "cost-optimized", "low-latency"})
  void theWorkerAndTheIngressGetTheProfilesSettings(String name) throws IOException {
    PerformanceProfile profile = Repository.layout().catalog().load(name);
    var files = LocalRunRenderer.render(profile);

    Properties worker = properties(files.get(LocalRunRenderer.WORKER_SETTINGS));
    assertThat(worker.getProperty("worker.batch-size"))
        .isEqualTo(String.valueOf(profile.worker().batchSize()));
    assertThat(worker.getProperty("worker.instances"))
        .isEqualTo(String.valueOf(profile.worker().instances()));
    assertThat(worker.getProperty("worker.batch-wait"))
        .isEqualTo(Durations.format(profile.worker().batchWait()));
    assertThat(worker.getProperty("spring.kafka.producer.properties.linger.ms"))
        .isEqualTo(String.valueOf(profile.producer().lingerMs()));

    Properties ingress = properties(files.get(LocalRunRenderer.INGRESS_SETTINGS));
    assertThat(ingress.getProperty("ingress.in-flight-limit"))
        .isEqualTo(String.valueOf(profile.ingress().inFlightLimit()));
    assertThat(ingress.getProperty("server.tomcat.threads.max"))
        .isEqualTo(String.valueOf(profile.ingress().serverThreads()));
    assertThat(ingress.getProperty("ingress.max-timeout"))
        .isEqualTo(Durations.format(profile.deadlines().maxTimeout()));
  }

  @Test
  void theRequestTopicGetsAPartitionPerWorkerTheProfileMayScaleTo() {
    PerformanceProfile profile = Repository.layout().catalog().load("high-throughput");

    assertThat(LocalRunRenderer.requestPartitions(profile)).isEqualTo(8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"production", "low-latency"})
  void thePodsGetTheSameSettingsAsTheLocalRun(String name) {
    PerformanceProfile profile = Repository.layout().catalog().load(name);

    assertThat(OverlayRenderer.render(profile).get("worker.properties"))
        .isEqualTo(LocalRunRenderer.render(profile).get(LocalRunRenderer.WORKER_SETTINGS));
  }

  private static Properties properties(String text) throws IOException {
    Properties properties = new Properties();
    properties.load(new StringReader(text));
    return properties;
  }
}
