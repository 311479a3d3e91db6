package dev.inferpipe.localrun;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** {@code ./pipeline status}: one line per component that runs, from the pid files. */
final class PipelineStatus {
  private PipelineStatus() {}

  /** Prints what runs; false when nothing does. */
  static boolean print(
      Path runDir, Path logs, int kafkaPort, int workerPort, int ingressPort, PrintStream out) {
    boolean any = false;
    boolean autoscaled = new PidFile(runDir, "autoscaler").isAlive();
    for (String name : List.of("kafka", "worker", "autoscaler", "ingress")) {
      Optional<ProcessHandle> process = new PidFile(runDir, name).process();
      if (process.isPresent()) {
        any = true;
        String health =
            switch (name) {
              case "kafka" ->
                  FreePorts.isFree(kafkaPort)
                      ? "not listening"
                      : "listening on 127.0.0.1:" + kafkaPort;
              case "autoscaler" -> autoscalerSummary(logs);
              case "worker" -> ready(workerPort);
              default -> ready(ingressPort);
            };
        out.printf("%-10s running  pid %-7d %s%n", name, process.get().pid(), health);
        if (name.equals("autoscaler")) {
          replicas(runDir, workerPort, out);
        }
      } else if (!name.equals("autoscaler") && !(name.equals("worker") && autoscaled)) {
        out.printf("%-10s stopped%n", name);
      }
    }
    return any;
  }

  private static void replicas(Path runDir, int workerPort, PrintStream out) {
    for (PidFile file : PidFile.all(runDir)) {
      if (!file.name().startsWith("worker-")) {
        continue;
      }
      int slot = Integer.parseInt(file.name().substring("worker-".length()));
      file.process()
          .ifPresent(
              p ->
                  out.printf(
                      "  %-10s running  pid %-7d %s on port %d%n",
                      file.name(), p.pid(), ready(workerPort + slot), workerPort + slot));
    }
  }

  private static String ready(int port) {
    return HttpService.answersReady(port) ? "ready" : "not ready";
  }

  /** "replicas 3 running, 0 stopping, 2 consuming (desired 3, lag 1200)" from the timeline. */
  private static String autoscalerSummary(Path logs) {
    List<String> rows;
    try {
      rows = Files.readAllLines(AutoscaledWorkers.timeline(logs));
    } catch (IOException e) {
      return "no reading yet";
    }
    if (rows.size() < 2) {
      return "no reading yet";
    }
    String[] f = rows.get(rows.size() - 1).split(",");
    return String.format(
        "replicas %s running, %s stopping, %s consuming (desired %s, lag %s)",
        f[6], f[7], f[8], f[5], f[2]);
  }
}
