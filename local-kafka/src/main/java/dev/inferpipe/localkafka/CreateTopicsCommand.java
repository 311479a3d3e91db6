package dev.inferpipe.localkafka;

import dev.inferpipe.contracts.TopicNames;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Creates a pipeline's topics on a running broker, for the local run: {@code CreateTopicsCommand
 * BOOTSTRAP PREFIX MODELS REQUEST_PARTITIONS REPLY_PARTITIONS}, models comma-separated.
 */
public final class CreateTopicsCommand {
  private CreateTopicsCommand() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println(
          "usage: CreateTopicsCommand BOOTSTRAP PREFIX MODEL[,MODEL...] REQUEST_PARTITIONS"
              + " REPLY_PARTITIONS");
      System.exit(2);
    }
    List<String> models = Arrays.asList(args[2].split(","));
    int requestPartitions = Integer.parseInt(args[3]);
    int replyPartitions = Integer.parseInt(args[4]);
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, (Object) args[0]))) {
      new PipelineTopics(admin, new TopicNames(args[1]))
          .create(models, requestPartitions, replyPartitions, Duration.ofSeconds(60));
    }
    System.out.printf(
        "topics ready: prefix %s, models %s, %d request partitions, %d reply partitions%n",
        args[1], models, requestPartitions, replyPartitions);
  }
}
