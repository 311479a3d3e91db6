package dev.inferpipe.localrun;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * {@code <runDir>/<name>.pid}: the pid of a process that outlives the JVM that started it, and when
 * it started, so that a pid the operating system has since given to another process is never taken
 * for it.
 */
public final class PidFile {
  private final Path file;
  private final String name;

  public PidFile(Path runDir, String name) {
    this.file = runDir.resolve(name + ".pid");
    this.name = name;
  }

  /** Every pid file in {@code runDir}, by name. */
  public static List<PidFile> all(Path runDir) {
    List<PidFile> files = new ArrayList<>();
    if (!Files.isDirectory(runDir)) {
      return files;
    }
    try (Stream<Path> paths = Files.list(runDir)) {
      paths
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".pid"))
          .sorted()
          .forEach(n -> files.add(new PidFile(runDir, n.substring(0, n.length() - 4))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  public String name() {
    return name;
  }

  void write(ProcessHandle process) throws IOException {
    write(process, List.of());
  }

  /**
   * Writes the pid of {@code process} started with {@code command}; a second line keeps the
   * class-data archive it writes as it stops, if any ({@link ClassDataArchives#writer}), which
   * {@link #stop} settles.
   */
  void write(ProcessHandle process, List<String> command) throws IOException {
    Files.createDirectories(file.getParent());
    long started = process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    String archive = ClassDataArchives.writer(command).map(w -> w + "\n").orElse("");
    Files.writeString(file, process.pid() + " " + started + "\n" + archive, StandardCharsets.UTF_8);
  }

  /** The process, if it still runs. */
  public Optional<ProcessHandle> process() {
    String[] fields;
    try {
      fields = lines().get(0).trim().split("\\s+");
    } catch (IOException | IndexOutOfBoundsException e) {
      return Optional.empty();
    }
    long pid;
    long started;
    try {
      pid = Long.parseLong(fields[0]);
      started = fields.length > 1 ? Long.parseLong(fields[1]) : 0;
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(
            p ->
                started == 0
                    || p.info().startInstant().map(Instant::toEpochMilli).orElse(started)
                        == started);
  }

  public boolean isAlive() {
    return process().isPresent();
  }

  /**
   * SIGTERM, then waits up to {@code grace} for the process to finish its shutdown, then SIGKILL;
   * removes the file. Returns the pid it stopped, if one ran.
   */
  public Optional<Long> stop(Duration grace) throws InterruptedException {
    Optional<ProcessHandle> running = process();
    if (running.isPresent()) {
      ProcessHandle process = running.get();
      List<String> command = archiveWriter();
      process.destroy();
      try {
        process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        ClassDataArchives.settle(command, true);
      } catch (TimeoutException e) {
        process.destroyForcibly();
        try {
          process.onExit().get(30, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException ignored) {
          // nothing more can be done for a process that survives SIGKILL
        }
        ClassDataArchives.settle(command, false); // what a killed JVM wrote is half an archive
      } catch (ExecutionException e) {
        // onExit does not fail
      }
    }
    delete();
    return running.map(ProcessHandle::pid);
  }

  /** Whether the process writes its class-data archive as it stops ({@link ClassDataArchives}). */
  public boolean writesArchive() {
    return isAlive() && !archiveWriter().isEmpty();
  }

  /** The option with which the process writes its class-data archive, if it does. */
  private List<String> archiveWriter() {
    try {
      List<String> lines = lines();
      return lines.size() > 1 ? List.of(lines.get(1)) : List.of();
    } catch (IOException e) {
      return List.of();
    }
  }

  private List<String> lines() throws IOException {
    return Files.readAllLines(file, StandardCharsets.UTF_8);
  }

  void delete() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + file, e);
    }
  }
}
