package dev.inferpipe.localrun;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferpipe.contracts.TopicNames;
import dev.inferpipe.localrun.SecureTestKafka.Listener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code CreateTopicsCommand --kafka-config FILE} against a broker that requires SASL and TLS. */
class CreateTopicsCommandTest {
  private static final SecureTestKafka KAFKA = SecureTestKafka.get();

  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) throws Exception {
    return CreateTopicsCommand.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  /** A client.properties file as a user writes it: everything but the bootstrap servers. */
  private Path clientProperties(Map<String, Object> settings) throws Exception {
    Properties properties = new Properties();
    settings.forEach(
        (key, value) -> {
          if (!key.equals("bootstrap.servers")) {
            properties.setProperty(key, value.toString());
          }
        });
    Path file = dir.resolve("client.properties");
    try (Writer writer = Files.newBufferedWriter(file)) {
      properties.store(writer, null);
    }
    return file;
  }

  @Test
  void createsThePipelinesTopicsOverSaslSsl() throws Exception {
    Map<String, Object> client = KAFKA.clientConfig(Listener.SASL_SSL, "SCRAM-SHA-512");
    TopicNames names = new TopicNames("secured-" + ProcessHandle.current().pid());

    int exit =
        run(
            "--kafka-config",
            clientProperties(client).toString(),
            KAFKA.bootstrapServers(Listener.SASL_SSL),
            names.prefix(),
            "alpha",
            "2",
            "1");

    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    try (Admin admin = Admin.create(client)) {
      var described =
          admin
              .describeTopics(List.of(names.requests("alpha"), names.replies()))
              .allTopicNames()
              .get();
      assertThat(described.get(names.requests("alpha")).partitions()).hasSize(2);
      assertThat(described.get(names.replies()).partitions()).hasSize(1);
    }
  }

  @Test
  void aWrongPasswordFailsWithTheBrokersAuthenticationError() throws Exception {
    Map<String, Object> client =
        new java.util.HashMap<>(KAFKA.clientConfig(Listener.SASL_PLAINTEXT, "SCRAM-SHA-256"));
    client.put("sasl.jaas.config", SecureTestKafka.scramJaasConfig(SecureTestKafka.USER, "nope"));

    int exit =
        run(
            "--kafka-config",
            clientProperties(client).toString(),
            KAFKA.bootstrapServers(Listener.SASL_PLAINTEXT),
            "refused",
            "alpha",
            "1",
            "1");

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("SaslAuthenticationException")
        .contains("invalid credentials");
  }

  @Test
  void aMissingConfigFileIsNamed() throws Exception {
    int exit = run("--kafka-config", "no-such.properties", "localhost:1", "p", "m", "1", "1");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--kafka-config: no such file")
        .contains("no-such.properties");
  }
}
