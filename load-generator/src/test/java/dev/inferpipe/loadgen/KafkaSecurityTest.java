package dev.inferpipe.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferpipe.contracts.TopicNames;
import dev.inferpipe.loadgen.cli.Loadgen;
import dev.inferpipe.localrun.SecureTestKafka;
import dev.inferpipe.localrun.SecureTestKafka.Listener;
import dev.inferpipe.worker.TestWorkers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./loadgen run --target kafka://… --kafka-config FILE} against a SASL/SCRAM + TLS broker.
 */
class KafkaSecurityTest {
  private static final SecureTestKafka KAFKA = SecureTestKafka.get();

  @TempDir Path dir;

  /** A client.properties file as a user writes it: everything but the bootstrap servers. */
  private Path clientProperties(Map<String, Object> settings) throws Exception {
    Properties client = new Properties();
    settings.forEach((key, value) -> client.setProperty(key, value.toString()));
    client.remove("bootstrap.servers");
    Path config = dir.resolve("client.properties");
    try (Writer writer = Files.newBufferedWriter(config)) {
      client.store(writer, null);
    }
    return config;
  }

  @Test
  void aKafkaTargetReachesTheBrokerWithTheSettingsOfItsConfigFile() throws Exception {
    String bootstrap = KAFKA.bootstrapServers(Listener.SASL_SSL);
    TopicNames topics = KAFKA.newTopics(1, 1, "sim");
    Path config = clientProperties(KAFKA.clientConfig(Listener.SASL_SSL, "SCRAM-SHA-512"));
    Path report = dir.resolve("report");

    int exit;
    ConfigurableApplicationContext worker =
        TestWorkers.start(
            bootstrap,
            topics,
            "sim",
            "simulated",
            "--spring.kafka.security.protocol=SASL_SSL",
            "--spring.kafka.ssl.trust-store-location=" + KAFKA.truststore().toUri(),
            "--spring.kafka.ssl.trust-store-password=" + KAFKA.truststorePassword(),
            "--spring.kafka.properties.sasl.mechanism=SCRAM-SHA-512",
            "--spring.kafka.properties.sasl.jaas.config="
                + SecureTestKafka.scramJaasConfig(SecureTestKafka.USER, KAFKA.password()));
    try {
      exit =
          Loadgen.commandLine()
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

  @Test
  void aWrongPasswordEndsTheRunWithTheBrokersAuthenticationError() throws Exception {
    Map<String, Object> settings =
        new HashMap<>(KAFKA.clientConfig(Listener.SASL_PLAINTEXT, "SCRAM-SHA-256"));
    settings.put("sasl.jaas.config", SecureTestKafka.scramJaasConfig(SecureTestKafka.USER, "no"));
    StringWriter err = new StringWriter();

    int exit =
        Loadgen.commandLine()
            .setErr(new PrintWriter(err, true))
            .execute(
                "run",
                "--target",
                "kafka://" + KAFKA.bootstrapServers(Listener.SASL_PLAINTEXT) + "?prefix=refused",
                "--kafka-config",
                clientProperties(settings).toString(),
                "--model",
                "sim",
                "--concurrency",
                "1",
                "--count",
                "1",
                "--report",
                dir.resolve("refused").toString());

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).startsWith("loadgen: ").contains("invalid credentials");
  }
}
