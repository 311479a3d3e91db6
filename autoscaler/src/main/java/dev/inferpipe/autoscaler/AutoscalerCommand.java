package dev.inferpipe.autoscaler;

import dev.inferpipe.autoscaler.ScalingSettings.OffsetResetPolicy;
import dev.inferpipe.contracts.TopicNames;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./pipeline up --autoscale} runs this: the supervisor that scales worker processes on the
 * worker group's lag with KEDA's Kafka-scaler formula. Options carry KEDA's names and defaults
 * where KEDA has them; the worker's command line follows {@code --}.
 */
@Command(
    name = "autoscaler",
    mixinStandardHelpOptions = true,
    description = "Scales local worker processes on the consumer group's lag, as KEDA would.")
public final class AutoscalerCommand implements Callable<Integer> {
  @Option(names = "--bootstrap-servers", required = true)
  String bootstrapServers;

  @Option(names = "--topic-prefix", defaultValue = "inference")
  String topicPrefix;

  @Option(names = "--model", required = true, description = "scales this model's worker group")
  String model;

  @Option(
      names = "--min",
      defaultValue = "0",
      description = "minReplicaCount (default ${DEFAULT-VALUE})")
  int min;

  @Option(
      names = "--max",
      defaultValue = "100",
      description = "maxReplicaCount (default ${DEFAULT-VALUE})")
  int max;

  @Option(names = "--lag-threshold", defaultValue = "10", description = "target lag per replica")
  long lagThreshold;

  @Option(names = "--activation-lag-threshold", defaultValue = "0")
  long activationLagThreshold;

  @Option(names = "--cooldown-seconds", defaultValue = "300", description = "cooldownPeriod")
  long cooldownSeconds;

  @Option(
      names = "--scale-down-window-seconds",
      defaultValue = "300",
      description = "the HPA's scale-down stabilization window")
  long scaleDownWindowSeconds;

  @Option(names = "--scale-up-window-seconds", defaultValue = "0")
  long scaleUpWindowSeconds;

  @Option(names = "--tolerance", defaultValue = "0.1", description = "the HPA's tolerance")
  double tolerance;

  @Option(
      names = "--offset-reset-policy",
      defaultValue = "latest",
      description = "latest or earliest (the worker resets to earliest)")
  String offsetResetPolicy;

  @Option(names = "--scale-to-zero-on-invalid-offset")
  boolean scaleToZeroOnInvalidOffset;

  @Option(names = "--allow-idle-consumers")
  boolean allowIdleConsumers;

  @Option(names = "--limit-to-partitions-with-lag")
  boolean limitToPartitionsWithLag;

  @Option(names = "--tick-ms", defaultValue = "1000", description = "how often the lag is read")
  long tickMs;

  @Option(
      names = "--worker-port",
      defaultValue = "0",
      description = "replica n listens on this + n; 0: any free port")
  int workerPort;

  @Option(names = "--logs", defaultValue = ".pipeline/logs", description = "worker-n.log go here")
  Path logs;

  @Option(names = "--run-dir", defaultValue = ".pipeline/run", description = "worker-n.pid go here")
  Path runDir;

  @Option(names = "--csv", description = "the timeline (default: LOGS/autoscaler.csv)")
  Path csv;

  @Parameters(paramLabel = "WORKER_COMMAND", arity = "1..*", description = "after --")
  List<String> workerCommand;

  /**
   * The worker's command line; with {@code --min 0}, told that it scales from zero, so that the
   * ingress queues the model's requests while no replica runs: they are the lag that starts one.
   */
  List<String> workerCommand() {
    if (min > 0) {
      return workerCommand;
    }
    List<String> command = new java.util.ArrayList<>(workerCommand);
    command.add("--worker.scales-from-zero=true");
    return command;
  }

  @Override
  public Integer call() throws Exception {
    if (tickMs < 100) {
      throw new IllegalArgumentException("--tick-ms must be at least 100, was " + tickMs);
    }
    ScalingSettings settings =
        ScalingSettings.builder()
            .minReplicaCount(min)
            .maxReplicaCount(max)
            .lagThreshold(lagThreshold)
            .activationLagThreshold(activationLagThreshold)
            .cooldownPeriod(seconds("--cooldown-seconds", cooldownSeconds))
            .scaleDownStabilization(seconds("--scale-down-window-seconds", scaleDownWindowSeconds))
            .scaleUpStabilization(seconds("--scale-up-window-seconds", scaleUpWindowSeconds))
            .tolerance(tolerance)
            .offsetResetPolicy(policy(offsetResetPolicy))
            .scaleToZeroOnInvalidOffset(scaleToZeroOnInvalidOffset)
            .allowIdleConsumers(allowIdleConsumers)
            .limitToPartitionsWithLag(limitToPartitionsWithLag)
            .build();
    TopicNames topics = new TopicNames(topicPrefix);
    Clock clock = Clock.systemUTC();
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000))) {
      Supervisor supervisor =
          new Supervisor(
              new ConsumerGroupLag(
                  admin, topics.requests(model), topics.workerGroup(model), Duration.ofSeconds(10)),
              new ReplicaCalculator(settings, clock.instant()),
              new WorkerReplicas(workerCommand(), workerPort, logs, runDir),
              new Timeline(
                  csv != null ? csv : logs.resolve("autoscaler.csv"), System.out, clock.instant()),
              Duration.ofMillis(tickMs),
              clock);
      Thread main = Thread.currentThread();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      supervisor.stop(Duration.ofSeconds(90));
                      main.join(5000);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  },
                  "autoscaler-shutdown"));
      supervisor.run();
    }
    return 0;
  }

  private static Duration seconds(String option, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(option + " must be 0 or more, was " + value);
    }
    return Duration.ofSeconds(value);
  }

  private static OffsetResetPolicy policy(String value) {
    return switch (value) {
      case "latest" -> OffsetResetPolicy.LATEST;
      case "earliest" -> OffsetResetPolicy.EARLIEST;
      default ->
          throw new IllegalArgumentException(
              "--offset-reset-policy must be latest or earliest, was " + value);
    };
  }

  public static void main(String[] args) {
    System.exit(
        new CommandLine(new AutoscalerCommand())
            .setExecutionExceptionHandler(
                (error, command, parsed) -> {
                  command.getErr().println("autoscaler: " + error.getMessage());
                  return 1;
                })
            .execute(args));
  }
}
