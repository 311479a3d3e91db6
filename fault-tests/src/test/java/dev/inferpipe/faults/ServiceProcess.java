package dev.inferpipe.faults;

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
 * One service as its own operating-system process (a JVM), its output appended to a log file so
 * that a failure can be read afterwards. It can be stopped politely (SIGTERM), killed (SIGKILL) and
 * started again with the same command line.
 */
final class ServiceProcess implements AutoCloseable {
  private final String name;
  private final List<String> command;
  private final Path log;
  private Process process;

  ServiceProcess(String name, List<String> command, Path logDir) {
    this.name = name;
    this.command = List.copyOf(command);
    this.log = logDir.resolve(name + ".log");
  }

  String name() {
    return name;
  }

  Path log() {
    return log;
  }

  synchronized ServiceProcess start() throws IOException {
    if (isAlive()) {
      throw new IllegalStateException(name + " already runs (pid " + process.pid() + ")");
    }
    Files.createDirectories(log.getParent());
    Files.writeString(
        log,
        "---- start: " + String.join(" ", command) + System.lineSeparator(),
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    Orphans.register(process);
    return this;
  }

  synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  synchronized long pid() {
    return process.pid();
  }

  /** Waits for a short-lived process (a tool) to end; true if it ended with exit status 0. */
  boolean waitFor(Duration limit) throws InterruptedException {
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

  /** SIGTERM, then waits for the process to finish its shutdown; SIGKILL after 60 s. */
  synchronized void stop() throws InterruptedException {
    if (isAlive()) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }

  /** SIGKILL: the process gets no chance to finish anything. */
  synchronized void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** A thread dump of the running process, taken with {@code jcmd}; also saved next to its log. */
  String threadDump(String label) throws IOException, InterruptedException {
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
  String logTail() {
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

  /** Kills, when the test JVM exits, every process a test left running (a test that died). */
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
