package dev.inferpipe.localrun;

import dev.inferpipe.autoscaler.Replicas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker processes the autoscaler runs, each a {@link ServiceProcess}. Replica {@code n} (the
 * lowest free slot) is named {@code worker-n}: it logs to {@code worker-n.log} and, when detached,
 * has its pid in {@code worker-n.pid}. Stopping sends SIGTERM, so the worker finishes its batch,
 * replies, commits and leaves the group; a stopping replica keeps its slot (and port) until it has
 * exited.
 *
 * <p>Not thread-safe: one supervisor thread owns it, and it owns the processes.
 */
public final class WorkerReplicas implements Replicas {
  private static final Logger log = LoggerFactory.getLogger(WorkerReplicas.class);

  private record Replica(int slot, ServiceProcess process) {}

  private final IntFunction<ServiceProcess> replica;
  private final List<Replica> running = new ArrayList<>();
  private final List<Replica> stopping = new ArrayList<>();

  /**
   * @param replica the (not yet started) process of slot n
   */
  public WorkerReplicas(IntFunction<ServiceProcess> replica) {
    this.replica = replica;
  }

  /**
   * Replicas of {@code command} plus {@code --server.port=basePort+n} (or 0, any free port, when
   * {@code basePort} is 0), logging to {@code logDir}; detached (pid files in {@code runDir})
   * unless that is null.
   */
  public static WorkerReplicas of(List<String> command, int basePort, Path logDir, Path runDir) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("the worker command is empty");
    }
    return new WorkerReplicas(
        slot -> {
          List<String> line = new ArrayList<>(command);
          line.add("--server.port=" + (basePort == 0 ? 0 : basePort + slot));
          ServiceProcess process = new ServiceProcess("worker-" + slot, line, logDir);
          return runDir == null ? process : process.detached(runDir);
        });
  }

  @Override
  public int running() {
    reap();
    return running.size();
  }

  @Override
  public int stopping() {
    reap();
    return stopping.size();
  }

  /** The processes started and not asked to stop, lowest slot first. */
  public List<ServiceProcess> runningProcesses() {
    reap();
    return running.stream()
        .sorted(Comparator.comparingInt(Replica::slot))
        .map(Replica::process)
        .toList();
  }

  /** Starts or stops replicas (the newest first) until {@code replicas} run. */
  @Override
  public void scaleTo(int replicas) {
    reap();
    while (running.size() < replicas) {
      start();
    }
    while (running.size() > replicas) {
      Replica newest = running.stream().max(Comparator.comparingInt(Replica::slot)).orElseThrow();
      running.remove(newest);
      stopping.add(newest);
      log.info("replica {} ({}) stopping", newest.slot(), newest.process());
      newest.process().terminate(); // SIGTERM: graceful; the loop goes on meanwhile
    }
  }

  /** Stops every replica and waits up to 60 s for them, then kills what is left. */
  @Override
  public void close() {
    close(Duration.ofSeconds(60));
  }

  public void close(Duration grace) {
    scaleTo(0);
    long deadline = System.nanoTime() + grace.toNanos();
    for (Replica replica : List.copyOf(stopping)) {
      try {
        replica.process().stop(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        replica.process().close();
      }
    }
    reap();
  }

  private void start() {
    int slot = freeSlot();
    ServiceProcess process = replica.apply(slot);
    try {
      process.start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start worker replica " + slot, e);
    }
    running.add(new Replica(slot, process));
    log.info("replica {} ({}) started; log {}", slot, process, process.log());
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
        log.warn(
            "replica {} exited by itself with code {}; see {}",
            replica.slot(),
            replica.process().exitValue(),
            replica.process().log());
        replica.process().close();
      }
    }
    for (Replica replica : List.copyOf(stopping)) {
      if (!replica.process().isAlive()) {
        stopping.remove(replica);
        log.info("replica {} stopped with code {}", replica.slot(), replica.process().exitValue());
        replica.process().close();
      }
    }
  }
}
