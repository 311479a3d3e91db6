package dev.inferpipe.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferpipe.contracts.TopicNames;
import dev.inferpipe.loadgen.cli.Loadgen;
import dev.inferpipe.localkafka.SecureTestKafka;
import dev.inferpipe.localkafka.SecureTestKafka.Listener;
import dev.inferpipe.worker.TestWorkers;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./loadgen run --target kafka://… --kafka-config FILE} against a SASL/SCRAM + TLS broker.
 */
class KafkaSecurityTest {
  @TempDir Path dir;

  @Test
  void aKafkaTargetReachesTheBrokerWithTheSettingsOfItsConfigFile() throws Exception {
    SecureTestKafka kafka = SecureTestKafka.get();
    String bootstrap = kafka.bootstrapServers(Listener.SASL_SSL);
    TopicNames topics = kafka.newTopics(1, 1, "sim");
    Properties client = new Properties();
    kafka
        .clientConfig(Listener.SASL_SSL, "SCRAM-SHA-512")
        .forEach((key, value) -> client.setProperty(key, value.toString()));
    client.remove("bootstrap.servers");
    Path config = dir.resolve("client.properties");
    try (Writer writer = Files.newBufferedWriter(config)) {
      client.store(writer, null);
    }
    Path report = dir.resolve("report");

    int exit;
    ConfigurableApplicationContext worker =
        TestWorkers.start(
            bootstrap,
            topics,
            "sim",
            "simulated",
            "--spring.kafka.security.protocol=SASL_SSL",
            "--spring.kafka.ssl.trust-store-location=" + kafka.truststore().toUri(),
            "--spring.kafka.ssl.trust-store-password=" + kafka.truststorePassword(),
            "--spring.kafka.properties.sasl.mechanism=SCRAM-SHA-512",
            "--spring.kafka.properties.sasl.jaas.config="
                + SecureTestKafka.scramJaasConfig(SecureTestKafka.USER, kafka.password()));
    try {
      exit =
          new CommandLine(new Loadgen())
              .execute(
                  "run",
                  "--target",
                  "kafka://" + bootstrap + "?prefix=" + topics.prefix(),
                  "--kafka-config",
                  config.toString(),
                  "--model",
                  "sim",
                  "--payload",
                  "tensor",
                  "--concurrency",
                  "4",
                  "--count",
                  "20",
                  "--report",
                  report.toString());
    } finally {
      worker.close();
    }

    assertThat(exit).isZero();
    var result = JsonMapper.shared().readTree(dir.resolve("report.json").toFile());
    assertThat(result.get("completed").asLong()).isEqualTo(20);
    assertThat(result.get("failed").asLong()).isZero();
  }
}
