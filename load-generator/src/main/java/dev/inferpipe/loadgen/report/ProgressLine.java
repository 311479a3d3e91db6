package dev.inferpipe.loadgen.report;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A line on stderr while a run goes on: elapsed time, sent, answered, failed, in flight, p99. On a
 * terminal it rewrites itself every second; otherwise it prints a line every five seconds.
 *
 * <p>Owns its scheduler thread; {@link #close} stops it.
 */
public final class ProgressLine implements AutoCloseable {
  private final RunRecorder recorder;
  private final PrintStream out;
  private final boolean terminal = System.console() != null;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "progress");
            thread.setDaemon(true);
            return thread;
          });

  public ProgressLine(RunRecorder recorder, PrintStream out) {
    this.recorder = recorder;
    this.out = out;
    long period = terminal ? 1 : 5;
    scheduler.scheduleAtFixedRate(this::print, period, period, TimeUnit.SECONDS);
  }

  private void print() {
    double seconds = (System.nanoTime() - recorder.startNanos()) / 1e9;
    long sent = recorder.sentCount();
    long answered = recorder.answeredCount();
    String line =
        String.format(
            Locale.ROOT,
            "%6.0f s  sent %d  answered %d  failed %d  in flight %d  p99 %.1f ms",
            seconds,
            sent,
            answered,
            recorder.failedCount(),
            sent - answered,
            recorder.p99Ms());
    if (terminal) {
      out.print("\r" + line + "   ");
    } else {
      out.println(line);
    }
    out.flush();
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    if (terminal) {
      out.println();
    }
  }
}
