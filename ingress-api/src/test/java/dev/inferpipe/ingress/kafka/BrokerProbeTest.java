package dev.inferpipe.ingress.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferpipe.localrun.TestKafka;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class BrokerProbeTest {
  private static BrokerProbe probe() {
    return new BrokerProbe(
        Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()));
  }

  @Test
  void aSendThatCannotReachKafkaMarksItUnreachableAtOnceAndAProbeMarksItBack() {
    BrokerProbe probe = probe();
    probe.start();
    try {
      await().atMost(Duration.ofSeconds(30)).until(probe::isReachable);

      probe.sendFailed(new TimeoutException("Topic not present in metadata after 100 ms."));

      assertThat(probe.isReachable()).isFalse();
      await("the next probe").atMost(Duration.ofSeconds(30)).until(probe::isReachable);

      probe.sendFailed(new java.util.concurrent.CompletionException(new NetworkException("gone")));
      assertThat(probe.isReachable()).isFalse();
      await("the next probe").atMost(Duration.ofSeconds(30)).until(probe::isReachable);

      probe.sendFailed(new SaslAuthenticationException("bad password"));
      assertThat(probe.isReachable()).isFalse();
    } finally {
      probe.stop();
    }
  }

  @Test
  void aFailureThatSaysNothingAboutTheBrokerChangesNothing() {
    BrokerProbe probe = probe();
    probe.start();
    try {
      await().atMost(Duration.ofSeconds(30)).until(probe::isReachable);

      probe.sendFailed(new RecordTooLargeException("too large"));

      assertThat(probe.isReachable()).isTrue();
    } finally {
      probe.stop();
    }
  }
}
