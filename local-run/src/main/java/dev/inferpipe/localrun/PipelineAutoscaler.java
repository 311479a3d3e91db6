package dev.inferpipe.localrun;

import dev.inferpipe.contracts.TopicNames;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The autoscaler of {@code ./pipeline up --autoscale}: the supervisor that scales worker processes
 * on the lag, run in the launcher's JVM, or, for a detached run, in a JVM of its own ({@link
 * SuperviseCommand}) that outlives it.
 */
final class PipelineAutoscaler {
  private PipelineAutoscaler() {}

  /**
   * The supervisor with worker replicas on ports {@code workerPort + n}, logging to {@code out}.
   */
  static AutoscaledWorkers inProcess(
      PipelineSettings settings,
      int requestPartitions,
      ServiceLauncher launcher,
      List<String> workerSettings,
      PrintStream out) {
    PipelineSettings.Autoscale autoscale = settings.autoscale().orElseThrow();
    return new AutoscaledWorkers(
        settings.bootstrapServers(),
        new TopicNames(settings.topicPrefix()),
        settings.model().modelName(),
        autoscale.scaling(requestPartitions),
        Duration.ofMillis(autoscale.tickMs()),
        WorkerReplicas.of(
            replicaCommand(
                launcher.workerCommand(LocalPipeline.WORKER_HEAP, workerSettings), autoscale.min()),
            settings.workerPort(),
            settings.logs(),
            settings.runDir()),
        settings.logs(),
        out);
  }

  /** {@code logs/autoscaler.log}, appended to, for the supervisor run in this JVM. */
  static PrintStream log(PipelineSettings settings) throws IOException {
    Files.createDirectories(settings.logs());
    return new PrintStream(
        Files.newOutputStream(
            settings.logs().resolve("autoscaler.log"),
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND),
        true,
        StandardCharsets.UTF_8);
  }

  /**
   * A worker replica's command line; with {@code --min 0}, told that it scales from zero, so that
   * the ingress queues the model's requests while no replica runs: they are the lag that starts
   * one.
   */
  static List<String> replicaCommand(List<String> workerCommand, int minReplicas) {
    if (minReplicas > 0) {
      return workerCommand;
    }
    List<String> command = new ArrayList<>(workerCommand);
    command.add("--worker.scales-from-zero=true");
    return command;
  }

  /** A JVM of its own running {@link SuperviseCommand}, for a detached run. */
  static ServiceProcess startDetached(
      PipelineSettings settings, int requestPartitions, List<String> workerSettings)
      throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                ServiceProcess.javaBin(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                PipelineCommand.class.getName(),
                "--root=" + settings.root(),
                "supervise",
                "--request-partitions=" + requestPartitions));
    workerSettings.forEach(s -> command.add("--worker-setting=" + s));
    command.addAll(PipelineCommand.autoscaleArguments(settings));
    return new ServiceProcess("autoscaler", command, settings.logs())
        .detached(settings.runDir())
        .start();
  }
}
