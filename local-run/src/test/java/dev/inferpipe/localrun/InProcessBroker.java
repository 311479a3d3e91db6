package dev.inferpipe.localrun;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A {@link BrokerConfig} node run in this JVM for tests: its storage formatted ({@code
 * kafka-storage format}, with extra arguments such as {@code --add-scram}), then started; it stops,
 * and its folder is deleted, when the JVM exits.
 */
final class InProcessBroker {
  private InProcessBroker() {}

  /** Formats {@code dir}'s storage for {@code config}, starts the node, returns once it is up. */
  static void start(BrokerConfig config, Path dir, List<String> formatArguments)
      throws IOException {
    Path serverProperties = config.writeTo(dir.resolve("server.properties"));
    List<String> args =
        new ArrayList<>(
            List.of(
                "format", "-t", Uuid.randomUuid().toString(), "-c", serverProperties.toString()));
    args.addAll(formatArguments);
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int exit =
        StorageTool.execute(
            args.toArray(String[]::new), new PrintStream(output, true, StandardCharsets.UTF_8));
    if (exit != 0) {
      throw new IllegalStateException(
          "kafka-storage format failed: " + output.toString(StandardCharsets.UTF_8));
    }
    KafkaRaftServer broker =
        new KafkaRaftServer(KafkaConfig.fromProps(config.properties(), false), Time.SYSTEM);
    broker.startup();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  broker.shutdown();
                  broker.awaitShutdown();
                  deleteRecursively(dir);
                }));
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary folder is harmless
    }
  }
}
