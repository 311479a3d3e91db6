package dev.inferpipe.autoscaler;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The autoscaler's record: one CSV row per tick ({@code autoscaler.csv}: time, total lag, desired
 * and running replicas, and the group's consumers, which lag behind the running replicas while a
 * worker starts) and one printed line whenever the desired or running replicas or the consumers
 * change.
 *
 * <p>Owns the CSV writer.
 */
public final class Timeline implements AutoCloseable {
  /** The CSV's header. */
  public static final String HEADER =
      "time,elapsed_s,total_lag,partitions_with_lag,active,desired,running,stopping,consumers,reason";

  private final Writer csv;
  private final PrintStream out;
  private final Instant start;
  private int lastDesired = -1;
  private int lastRunning = -1;
  private int lastConsumers = -1;

  public Timeline(Path csvFile, PrintStream out, Instant start) {
    try {
      Path parent = csvFile.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      this.csv = Files.newBufferedWriter(csvFile, StandardCharsets.UTF_8);
      csv.write(HEADER + "\n");
      csv.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the timeline " + csvFile, e);
    }
    this.out = out;
    this.start = start;
  }

  /** Records one tick. */
  public void record(
      Instant now, LagMetric lag, Decision decision, int running, int stopping, int consumers) {
    double elapsed = Duration.between(start, now).toMillis() / 1000.0;
    String row =
        String.format(
            Locale.ROOT,
            "%s,%.1f,%d,%d,%b,%d,%d,%d,%d,%s",
            now,
            elapsed,
            lag.totalLag(),
            lag.partitionsWithLag(),
            lag.active(),
            decision.replicas(),
            running,
            stopping,
            consumers,
            decision.reason().replace(',', ';'));
    try {
      csv.write(row + "\n");
      csv.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the timeline", e);
    }
    if (decision.replicas() != lastDesired
        || running != lastRunning
        || consumers != lastConsumers) {
      out.printf(
          Locale.ROOT,
          "%s +%6.1fs  lag %6d  desired %d  running %d  stopping %d  consumers %d  (%s)%n",
          now,
          elapsed,
          lag.totalLag(),
          decision.replicas(),
          running,
          stopping,
          consumers,
          decision.reason());
      out.flush();
      lastDesired = decision.replicas();
      lastRunning = running;
      lastConsumers = consumers;
    }
  }

  @Override
  public void close() {
    try {
      csv.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the timeline", e);
    }
  }
}
