package dev.inferpipe.localrun;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One component of the local run as its own operating-system process (a JVM), its output appended
 * to {@code <name>.log} so that a failure can be read afterwards. It can be stopped politely
 * (SIGTERM), killed (SIGKILL) and started again with the same command line.
 *
 * <p>The process ignores SIGINT (a shell execs it with SIGINT ignored, which the JVM keeps): a
 * terminal's Ctrl-C reaches only the JVM that started it, which stops the components in order.
 *
 * <p>By default a process dies with the JVM that started it (a test that died leaves nothing
 * behind). {@link #detached} processes outlive it instead: their pid goes to a {@link PidFile},
 * from which {@code ./pipeline down} stops them later.
 */
public final class ServiceProcess implements AutoCloseable {
  /** How long a process gets to finish its shutdown after SIGTERM before it is killed. */
  public static final Duration STOP_GRACE = Duration.ofSeconds(60);

  private final String name;
  private final List<String> command;
  private final Path log;
  private PidFile pidFile;
  private Process process;

  public ServiceProcess(String name, List<String> command, Path logDir) {
    this.name = name;
    this.command = List.copyOf(command);
    this.log = logDir.resolve(name + ".log");
  }

  /** Lets the process outlive this JVM, its pid in {@code <runDir>/<name>.pid}. */
  public ServiceProcess detached(Path runDir) {
    this.pidFile = new PidFile(runDir, name);
    return this;
  }

  public String name() {
    return name;
  }

  public Path log() {
    return log;
  }

  public List<String> command() {
    return command;
  }

  public synchronized ServiceProcess start() throws IOException {
    if (isAlive()) {
      throw new IllegalStateException(name + " already runs (pid " + process.pid() + ")");
    }
    Files.createDirectories(log.getParent());
    Files.writeString(
        log,
        "---- start: " + String.join(" ", command) + System.lineSeparator(),
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    List<String> line = new ArrayList<>(List.of("/bin/sh", "-c", "trap '' INT; exec \"$@\"", "sh"));
    line.addAll(command);
    process =
        new ProcessBuilder(line)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    if (pidFile != null) {
      pidFile.write(process.toHandle(), command);
    } else {
      Orphans.register(process);
    }
    return this;
  }

  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  public synchronized long pid() {
    return process.pid();
  }

  /** Completes when the started process ends. */
  public synchronized java.util.concurrent.CompletableFuture<Process> onExit() {
    if (process == null) {
      throw new IllegalStateException(name + " has not started");
    }
    return process.onExit();
  }

  /** Waits for a short-lived process (a tool) to end; true if it ended with exit status 0. */
  public boolean waitFor(Duration limit) throws InterruptedException {
    Process running;
    synchronized (this) {
      running = process;
    }
    if (!running.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      kill();
      return false;
    }
    return running.exitValue() == 0;
  }

  /**
   * SIGTERM, then waits for the process to finish its shutdown; SIGKILL after {@link #STOP_GRACE}.
   */
  public void stop() throws InterruptedException {
    stop(STOP_GRACE);
  }

  public synchronized void stop(Duration grace) throws InterruptedException {
    if (isAlive()) {
      process.destroy();
      if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        ClassDataArchives.settle(command, true);
      } else {
        kill();
      }
    }
    forgetPid();
  }

  /** SIGTERM without waiting: {@link #isAlive} tells when the process has finished. */
  public synchronized void terminate() {
    if (isAlive()) {
      process.destroy();
    }
  }

  /** SIGKILL: the process gets no chance to finish anything. */
  public synchronized void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
      ClassDataArchives.settle(command, false);
    }
    forgetPid();
  }

  /** The exit status of a process that ended; -1 while it runs or before it started. */
  public synchronized int exitValue() {
    return process == null || process.isAlive() ? -1 : process.exitValue();
  }

  /** A thread dump of the running process, taken with {@code jcmd}; also saved next to its log. */
  public String threadDump(String label) throws IOException, InterruptedException {
    Path dump = log.resolveSibling(name + "-threads-" + label + ".txt");
    Process jcmd =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid()),
                "Thread.print")
            .redirectErrorStream(true)
            .redirectOutput(dump.toFile())
            .start();
    if (!jcmd.waitFor(60, TimeUnit.SECONDS)) {
      jcmd.destroyForcibly();
      throw new IOException("jcmd did not dump the threads of " + this + " within 60 s");
    }
    return Files.readString(dump);
  }

  /** The last lines of the log, for failure messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return name
          + " log ("
          + log
          + "):\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return name + ": no log at " + log;
    }
  }

  /** Kills the process if it still runs. */
  @Override
  public void close() {
    try {
      kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  @Override
  public String toString() {
    return name + (isAlive() ? " (pid " + process.pid() + ")" : " (not running)");
  }

  private void forgetPid() {
    if (pidFile != null && process != null && !process.isAlive()) {
      pidFile.delete();
    }
  }

  /** The java of this JVM, to start the others with. */
  public static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Kills, when this JVM exits, every process it left running (a test that died). */
  private static final class Orphans {
    private static final List<Process> STARTED = Collections.synchronizedList(new ArrayList<>());

    static {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(() -> STARTED.forEach(Process::destroyForcibly), "kill-orphans"));
    }

    static void register(Process process) {
      STARTED.add(process);
    }
  }
}
