package dev.inferpipe.localrun;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an earlier run left behind: processes with pid files in the run folder, and ports held.
 * {@link #down} stops those processes; {@link #requireNone} refuses to start over them.
 */
final class PreviousRun {
  /** How long the autoscaler gets to stop its replicas, each finishing its batch. */
  static final Duration AUTOSCALER_GRACE = Duration.ofSeconds(100);

  private PreviousRun() {}

  /**
   * Stops every process whose pid file is in {@code runDir}: the ingress, the autoscaler (which
   * stops its replicas), the worker, replicas left over, the broker; says which it stopped.
   */
  static void down(Path runDir, PrintStream out) throws InterruptedException {
    List<PidFile> files = new ArrayList<>(PidFile.all(runDir));
    for (String name : List.of("ingress", "autoscaler", "worker")) {
      stop(files, name, out);
    }
    for (PidFile file : List.copyOf(files)) {
      if (file.name().startsWith("worker-")) {
        stop(files, file.name(), out);
      }
    }
    stop(files, "kafka", out);
    for (PidFile file : files) {
      stop(files, file.name(), out);
    }
  }

  private static void stop(List<PidFile> files, String name, PrintStream out)
      throws InterruptedException {
    Optional<PidFile> file = files.stream().filter(f -> f.name().equals(name)).findFirst();
    if (file.isPresent()) {
      files.remove(file.get());
      Duration grace = name.equals("autoscaler") ? AUTOSCALER_GRACE : ServiceProcess.STOP_GRACE;
      if (file.get().writesArchive()) {
        out.println(ClassDataArchives.writingAsItStops(name));
      }
      file.get().stop(grace).ifPresent(pid -> out.printf("stopped %s (pid %d)%n", name, pid));
    }
  }

  /**
   * Fails if a process of an earlier run still runs, or if a port this run needs is taken; forgets
   * the pid files of processes that are gone.
   */
  static void requireNone(PipelineSettings settings, int requestPartitions)
      throws LocalPipeline.StartFailed {
    for (PidFile file : PidFile.all(settings.runDir())) {
      Optional<ProcessHandle> process = file.process();
      if (process.isPresent()) {
        throw new LocalPipeline.StartFailed(
            "the pipeline already runs ("
                + file.name()
                + ", pid "
                + process.get().pid()
                + "): ./pipeline down first");
      }
      file.delete();
    }
    requireFree("kafka", settings.kafkaPort(), "KAFKA_PORT");
    requireFree("kafka controller", settings.controllerPort(), "KAFKA_CONTROLLER_PORT");
    if (settings.autoscale().isPresent()) {
      int replicas = settings.autoscale().get().maxReplicas(requestPartitions);
      if (settings.ingressPort() >= settings.workerPort()
          && settings.ingressPort() < settings.workerPort() + replicas) {
        throw new LocalPipeline.StartFailed(
            String.format(
                "worker replicas use ports %d-%d, which holds INGRESS_PORT %d: set WORKER_PORT or"
                    + " INGRESS_PORT apart",
                settings.workerPort(),
                settings.workerPort() + replicas - 1,
                settings.ingressPort()));
      }
      for (int i = 0; i < replicas; i++) {
        requireFree("worker replica " + i, settings.workerPort() + i, "WORKER_PORT");
      }
    } else {
      requireFree("worker", settings.workerPort(), "WORKER_PORT");
    }
    requireFree("ingress", settings.ingressPort(), "INGRESS_PORT");
  }

  private static void requireFree(String component, int port, String variable)
      throws LocalPipeline.StartFailed {
    if (!FreePorts.isFree(port)) {
      throw new LocalPipeline.StartFailed(
          "port "
              + port
              + " (for "
              + component
              + ") is already in use: stop what uses it, or set "
              + variable
              + " to another port");
    }
  }
}
