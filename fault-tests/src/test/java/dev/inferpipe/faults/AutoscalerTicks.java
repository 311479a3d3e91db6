package dev.inferpipe.faults;

import dev.inferpipe.localrun.PidFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * What the autoscaler did, read as a user would: from its timeline CSV and its replicas' pid files
 * (see {@link FaultPipeline#autoscaledWorkers}).
 */
final class AutoscalerTicks {
  /** One row of the timeline: what the autoscaler saw and did at one tick. */
  record Tick(
      double elapsedSeconds, long lag, int desired, int running, int stopping, int members) {
    static Tick parse(String csvRow) {
      String[] f = csvRow.split(",");
      return new Tick(
          Double.parseDouble(f[1]),
          Long.parseLong(f[2]),
          Integer.parseInt(f[5]),
          Integer.parseInt(f[6]),
          Integer.parseInt(f[7]),
          Integer.parseInt(f[8]));
    }
  }

  private final Path csv;
  private final Path runDir;

  AutoscalerTicks(FaultPipeline pipeline) {
    this.csv = pipeline.autoscalerTimeline();
    this.runDir = pipeline.runDir();
  }

  /** The latest tick, or none before the first. */
  Tick lastTick() throws IOException {
    if (!Files.exists(csv)) {
      return null;
    }
    List<String> rows = Files.readAllLines(csv);
    return rows.size() < 2 ? null : Tick.parse(rows.get(rows.size() - 1));
  }

  /** Waits until a tick matches, and returns it. */
  Tick await(String what, Duration atMost, Predicate<Tick> which) {
    return Awaitility.await(what)
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(100))
        .until(this::lastTick, t -> t != null && which.test(t));
  }

  /** The pid of replica {@code slot}, from the pid file the autoscaler keeps for it. */
  long pid(int slot) {
    return new PidFile(runDir, "worker-" + slot)
        .process()
        .map(ProcessHandle::pid)
        .orElseThrow(() -> new IllegalStateException("replica " + slot + " does not run"));
  }

  /** SIGKILLs replica {@code slot}, as an OOM kill or a lost node would; returns its pid. */
  long kill(int slot) {
    ProcessHandle process =
        new PidFile(runDir, "worker-" + slot)
            .process()
            .orElseThrow(() -> new IllegalStateException("replica " + slot + " does not run"));
    process.destroyForcibly();
    return process.pid();
  }
}
