package dev.inferpipe.localrun;

import dev.inferpipe.contracts.TopicNames;
import dev.inferpipe.settings.KafkaClientConfigFile;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Creates a pipeline's topics on a running broker, for the local run: {@code CreateTopicsCommand
 * [--kafka-config FILE] BOOTSTRAP PREFIX MODELS REQUEST_PARTITIONS REPLY_PARTITIONS}, models
 * comma-separated; {@code FILE} holds Kafka client settings (TLS, SASL).
 */
public final class CreateTopicsCommand {
  private static final String USAGE =
      "usage: CreateTopicsCommand [--kafka-config FILE] BOOTSTRAP PREFIX MODEL[,MODEL...]"
          + " REQUEST_PARTITIONS REPLY_PARTITIONS";

  private CreateTopicsCommand() {}

  public static void main(String[] args) throws Exception {
    int exit = run(args, System.out, System.err);
    if (exit != 0) {
      System.exit(exit);
    }
  }

  /** Runs the command; returns its exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
    List<String> positional = new ArrayList<>(Arrays.asList(args));
    Path configFile = null;
    if (!positional.isEmpty() && positional.get(0).equals("--kafka-config")) {
      if (positional.size() < 2) {
        err.println(USAGE);
        return 2;
      }
      configFile = Path.of(positional.get(1));
      positional = positional.subList(2, positional.size());
    }
    if (positional.size() != 5) {
      err.println(USAGE);
      return 2;
    }
    List<String> models = Arrays.asList(positional.get(2).split(","));
    int requestPartitions = Integer.parseInt(positional.get(3));
    int replyPartitions = Integer.parseInt(positional.get(4));
    Map<String, Object> config;
    try {
      config = KafkaClientConfigFile.read(configFile);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    }
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, positional.get(0));
    try (Admin admin = Admin.create(config)) {
      new PipelineTopics(admin, new TopicNames(positional.get(1)))
          .create(models, requestPartitions, replyPartitions, Duration.ofSeconds(60));
    } catch (ExecutionException e) {
      err.println("could not create topics on " + positional.get(0) + ": " + e.getCause());
      return 1;
    } catch (java.util.concurrent.TimeoutException e) {
      err.println("could not create topics on " + positional.get(0) + ": no answer in 60 s");
      return 1;
    }
    out.printf(
        "topics ready: prefix %s, models %s, %d request partitions, %d reply partitions%n",
        positional.get(1), models, requestPartitions, replyPartitions);
    return 0;
  }
}
