package dev.inferpipe.autoscaler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker processes the autoscaler runs. Replica {@code n} (the lowest free slot) runs the
 * worker command plus {@code --server.port=basePort+n} (or 0 when {@code basePort} is 0), logs to
 * {@code worker-n.log} and has its pid in {@code worker-n.pid}. Stopping sends SIGTERM, so the
 * worker finishes its batch, replies, commits and leaves the group; a stopping replica keeps its
 * slot (and port) until it has exited.
 *
 * <p>Not thread-safe: one supervisor thread owns it, and it owns the processes.
 */
public final class WorkerReplicas implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerReplicas.class);

  private record Replica(int slot, Process process) {}

  private final List<String> command;
  private final int basePort;
  private final Path logDir;
  private final Path pidDir;
  private final List<Replica> running = new ArrayList<>();
  private final List<Replica> stopping = new ArrayList<>();

  /**
   * @param command the worker's command line without {@code --server.port}
   * @param basePort replica n listens on basePort + n; 0 lets each pick a free port
   * @param logDir where {@code worker-n.log} goes
   * @param pidDir where {@code worker-n.pid} goes, so that a script can stop strays
   */
  public WorkerReplicas(List<String> command, int basePort, Path logDir, Path pidDir) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("the worker command is empty");
    }
    this.command = List.copyOf(command);
    this.basePort = basePort;
    this.logDir = logDir;
    this.pidDir = pidDir;
  }

  /** Replicas started and not asked to stop; forgets those that exited by themselves. */
  public int running() {
    reap();
    return running.size();
  }

  /** Replicas asked to stop that have not exited yet. */
  public int stopping() {
    reap();
    return stopping.size();
  }

  /** Starts or stops replicas (the newest first) until {@code replicas} run. */
  public void scaleTo(int replicas) {
    reap();
    while (running.size() < replicas) {
      start();
    }
    while (running.size() > replicas) {
      Replica newest = running.stream().max(Comparator.comparingInt(Replica::slot)).orElseThrow();
      running.remove(newest);
      newest.process().destroy(); // SIGTERM: graceful
      stopping.add(newest);
      log.info("replica {} (pid {}) stopping", newest.slot(), newest.process().pid());
    }
  }

  /** Stops every replica and waits up to {@code grace} for them, then kills what is left. */
  @Override
  public void close() {
    close(Duration.ofSeconds(60));
  }

  public void close(Duration grace) {
    scaleTo(0);
    long deadline = System.nanoTime() + grace.toNanos();
    for (Replica replica : List.copyOf(stopping)) {
      try {
        long left = Math.max(1, deadline - System.nanoTime());
        if (!replica.process().waitFor(left, TimeUnit.NANOSECONDS)) {
          log.warn("replica {} did not stop within {}; killing it", replica.slot(), grace);
          replica.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        replica.process().destroyForcibly();
      }
    }
    reap();
  }

  private void start() {
    int slot = freeSlot();
    List<String> line = new ArrayList<>(command);
    line.add("--server.port=" + (basePort == 0 ? 0 : basePort + slot));
    Path logFile = logDir.resolve("worker-" + slot + ".log");
    try {
      Files.createDirectories(logDir);
      Files.writeString(
          logFile,
          "== replica "
              + slot
              + " started at "
              + Instant.now()
              + ": "
              + String.join(" ", line)
              + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      Process process =
          new ProcessBuilder(line)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .start();
      Files.createDirectories(pidDir);
      Files.writeString(pidFile(slot), process.pid() + "\n", StandardCharsets.UTF_8);
      running.add(new Replica(slot, process));
      log.info("replica {} (pid {}) started; log {}", slot, process.pid(), logFile);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start worker replica " + slot + ": " + line, e);
    }
  }

  private int freeSlot() {
    int slot = 0;
    while (hasSlot(running, slot) || hasSlot(stopping, slot)) {
      slot++;
    }
    return slot;
  }

  private static boolean hasSlot(List<Replica> replicas, int slot) {
    return replicas.stream().anyMatch(r -> r.slot() == slot);
  }

  private void reap() {
    for (Replica replica : List.copyOf(running)) {
      if (!replica.process().isAlive()) {
        running.remove(replica);
        forget(replica);
        log.warn(
            "replica {} (pid {}) exited by itself with code {}; see worker-{}.log",
            replica.slot(),
            replica.process().pid(),
            replica.process().exitValue(),
            replica.slot());
      }
    }
    for (Replica replica : List.copyOf(stopping)) {
      if (!replica.process().isAlive()) {
        stopping.remove(replica);
        forget(replica);
        log.info(
            "replica {} (pid {}) stopped with code {}",
            replica.slot(),
            replica.process().pid(),
            replica.process().exitValue());
      }
    }
  }

  private void forget(Replica replica) {
    try {
      Files.deleteIfExists(pidFile(replica.slot()));
    } catch (IOException e) {
      log.warn("could not delete {}: {}", pidFile(replica.slot()), e.getMessage());
    }
  }

  private Path pidFile(int slot) {
    return pidDir.resolve("worker-" + slot + ".pid");
  }
}
