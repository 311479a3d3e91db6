package dev.inferpipe.loadgen.bench;

import dev.inferpipe.localrun.PidFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * CPU time of the processes of a run, read before and after it: the local pipeline's broker, worker
 * and ingress (from their pid files in {@code .pipeline/run}), and this process, the load
 * generator. Divided by the requests served, it says what each process spends per request.
 */
final class ProcessCpu {
  /** One reading: CPU seconds per component. */
  record Snapshot(Map<String, Double> seconds) {}

  private final Map<String, ProcessHandle> processes = new LinkedHashMap<>();

  /** The pipeline's processes under {@code root}, and the load generator. */
  static ProcessCpu ofPipeline(Path root) {
    ProcessCpu cpu = new ProcessCpu();
    Path runDir = root.resolve(".pipeline/run");
    for (String[] component :
        new String[][] {{"ingress", "ingress"}, {"broker", "kafka"}, {"worker", "worker"}}) {
      new PidFile(runDir, component[1])
          .process()
          .ifPresent(handle -> cpu.processes.put(component[0], handle));
    }
    cpu.processes.put("loadgen", ProcessHandle.current());
    return cpu;
  }

  /** One other process, and the load generator. */
  static ProcessCpu of(String name, long pid) {
    ProcessCpu cpu = new ProcessCpu();
    ProcessHandle.of(pid).ifPresent(handle -> cpu.processes.put(name, handle));
    cpu.processes.put("loadgen", ProcessHandle.current());
    return cpu;
  }

  Snapshot read() {
    Map<String, Double> seconds = new LinkedHashMap<>();
    processes.forEach(
        (name, handle) -> {
          Optional<Duration> cpu = handle.info().totalCpuDuration();
          seconds.put(name, cpu.map(d -> d.toNanos() / 1e9).orElse(Double.NaN));
        });
    return new Snapshot(seconds);
  }

  /** Milliseconds of CPU per request for each process between two readings. */
  static Map<String, Double> perRequest(Snapshot before, Snapshot after, long requests) {
    Map<String, Double> perRequest = new LinkedHashMap<>();
    after
        .seconds()
        .forEach(
            (name, seconds) ->
                perRequest.put(
                    name,
                    (seconds - before.seconds().getOrDefault(name, Double.NaN))
                        * 1000
                        / Math.max(1, requests)));
    return perRequest;
  }
}
