package dev.inferpipe.faults;

import static org.awaitility.Awaitility.await;

import dev.inferpipe.autoscaler.ConsumerGroupLag;
import dev.inferpipe.autoscaler.ReplicaCalculator;
import dev.inferpipe.autoscaler.ScalingSettings;
import dev.inferpipe.autoscaler.Supervisor;
import dev.inferpipe.autoscaler.Timeline;
import dev.inferpipe.autoscaler.WorkerReplicas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;

/**
 * The local autoscaler's supervisor, run in this JVM as {@code ./pipeline up --autoscale} runs it
 * in its own: it reads the worker group's lag every second and starts or stops worker processes. A
 * test watches it through what it writes, as a user would: the timeline CSV and the replicas' pid
 * files.
 *
 * <p>Owns the supervisor's thread and admin client; closing it stops every replica.
 */
final class AutoscaledWorkers implements AutoCloseable {
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
  private final Admin admin;
  private final Supervisor supervisor;
  private final Thread thread;

  AutoscaledWorkers(FaultPipeline pipeline, ScalingSettings settings, List<String> workerCommand) {
    Clock clock = Clock.systemUTC();
    String model = FaultPipeline.MODEL;
    this.csv = pipeline.dir().resolve("autoscaler.csv");
    this.runDir = pipeline.dir().resolve("run");
    this.admin = pipeline.broker().admin();
    this.supervisor =
        new Supervisor(
            new ConsumerGroupLag(
                admin,
                pipeline.topics().requests(model),
                pipeline.topics().workerGroup(model),
                Duration.ofSeconds(10)),
            new ReplicaCalculator(settings, clock.instant()),
            new WorkerReplicas(workerCommand, 0, pipeline.logs(), runDir),
            new Timeline(csv, System.out, clock.instant()),
            Duration.ofSeconds(1),
            clock);
    this.thread = new Thread(supervisor, "autoscaler");
    thread.start();
  }

  /** The latest tick, or none before the first. */
  Tick lastTick() throws IOException {
    List<String> rows = Files.readAllLines(csv);
    return rows.size() < 2 ? null : Tick.parse(rows.get(rows.size() - 1));
  }

  /** Waits until a tick matches, and returns it. */
  Tick awaitTick(String what, Duration atMost, Predicate<Tick> which) {
    return await(what)
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(100))
        .until(this::lastTick, t -> t != null && which.test(t));
  }

  /** The pid of replica {@code slot}, from the pid file the autoscaler writes for it. */
  long pid(int slot) throws IOException {
    return Long.parseLong(Files.readString(runDir.resolve("worker-" + slot + ".pid")).trim());
  }

  /** SIGKILLs replica {@code slot}, as an OOM kill or a lost node would; returns its pid. */
  long kill(int slot) throws IOException {
    long pid = pid(slot);
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    return pid;
  }

  /** Stops the supervisor, which stops its replicas gracefully. */
  @Override
  public void close() {
    try {
      supervisor.stop(Duration.ofSeconds(90));
      thread.join(Duration.ofSeconds(5).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      admin.close(Duration.ofSeconds(5));
    }
  }
}
