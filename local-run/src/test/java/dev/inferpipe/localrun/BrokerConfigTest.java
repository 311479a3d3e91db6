package dev.inferpipe.localrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one broker configuration: what ./pipeline, the fault tests and SecureTestKafka start. */
class BrokerConfigTest {
  @TempDir Path dir;

  @Test
  void thePlainBrokerIsOneKraftNodeWithAnUnadvertisedController() {
    Properties server = BrokerConfig.plaintext("127.0.0.1", dir, 9092, 9093).properties();

    assertThat(server)
        .containsEntry("process.roles", "broker,controller")
        .containsEntry("controller.quorum.voters", "1@127.0.0.1:9093")
        .containsEntry("listeners", "CONTROLLER://127.0.0.1:9093,PLAINTEXT://127.0.0.1:9092")
        .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:9092")
        .containsEntry("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT")
        .containsEntry("inter.broker.listener.name", "PLAINTEXT")
        .containsEntry("log.dirs", dir.toString());
  }

  @Test
  void groupsRebalanceAtOnceAndSessionsMayBeAsShortAsTheWorkers() {
    Properties server = BrokerConfig.plaintext("127.0.0.1", dir, 9092, 9093).properties();

    assertThat(server)
        .containsEntry("group.initial.rebalance.delay.ms", "0")
        .containsEntry("group.min.session.timeout.ms", "3000")
        .containsEntry("group.consumer.session.timeout.ms", "3000")
        .containsEntry("auto.create.topics.enable", "false")
        .containsEntry("offsets.topic.replication.factor", "1");
  }

  @Test
  void moreListenersAreAdvertisedAndTheFirstCarriesTheBrokersOwnTraffic() {
    Properties server =
        BrokerConfig.singleNode("localhost", dir, 1)
            .listener("INTERNAL", "PLAINTEXT", 2)
            .listener("SCRAM", "SASL_PLAINTEXT", 3)
            .properties();

    assertThat(server)
        .containsEntry("advertised.listeners", "INTERNAL://localhost:2,SCRAM://localhost:3")
        .containsEntry(
            "listener.security.protocol.map",
            "CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT,SCRAM:SASL_PLAINTEXT")
        .containsEntry("inter.broker.listener.name", "INTERNAL");
  }

  @Test
  void aSettingOverridesTheDefault() {
    Properties server =
        BrokerConfig.plaintext("127.0.0.1", dir, 9092, 9093)
            .set("group.min.session.timeout.ms", "6000")
            .set("sasl.enabled.mechanisms", "SCRAM-SHA-512")
            .properties();

    assertThat(server)
        .containsEntry("group.min.session.timeout.ms", "6000")
        .containsEntry("sasl.enabled.mechanisms", "SCRAM-SHA-512");
  }

  @Test
  void aListenerNameIsUsedOnce() {
    BrokerConfig config = BrokerConfig.plaintext("127.0.0.1", dir, 9092, 9093);

    assertThatThrownBy(() -> config.listener("PLAINTEXT", "SSL", 9094))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> config.listener(BrokerConfig.CONTROLLER, "PLAINTEXT", 9094))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BrokerConfig.singleNode("h", dir, 1).properties())
        .hasMessageContaining("at least one listener");
  }

  @Test
  void theFileHoldsTheSameSettings() throws IOException {
    BrokerConfig config = BrokerConfig.plaintext("127.0.0.1", dir.resolve("data"), 9092, 9093);

    Path file = config.writeTo(dir.resolve("kafka/server.properties"));

    Properties read = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      read.load(reader);
    }
    assertThat(read).isEqualTo(config.properties());
  }
}
