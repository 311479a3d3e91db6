package dev.inferpipe.loadgen.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A worker's counters read from its {@code /metrics} before and after a run: how busy its device
 * was (the share of the time at least one executor computed) and how large its batches were.
 */
final class WorkerCounters {
  /** One reading of the counters. */
  record Snapshot(long nanos, double busySeconds, double batchSizeSum, double batchCount) {}

  /** What happened between two readings; NaN where the worker could not be read. */
  record Between(double deviceBusy, double meanBatch) {}

  private static final Pattern BUSY =
      Pattern.compile("(?m)^inference_worker_device_busy_seconds_total\\{[^}]*} (\\S+)$");
  static final Pattern SIZE_SUM =
      Pattern.compile("(?m)^inference_worker_batch_size_sum\\{[^}]*} (\\S+)$");
  static final Pattern SIZE_COUNT =
      Pattern.compile("(?m)^inference_worker_batch_size_count\\{[^}]*} (\\S+)$");

  private final URI metrics;
  private final HttpClient http = HttpClient.newHttpClient();

  WorkerCounters(String workerUrl) {
    this.metrics = URI.create(workerUrl + "/metrics");
  }

  Snapshot read() {
    try {
      String body =
          http.send(
                  HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      return new Snapshot(
          System.nanoTime(), value(BUSY, body), value(SIZE_SUM, body), value(SIZE_COUNT, body));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // reported as NaN: the run's other numbers still stand
    }
    return new Snapshot(System.nanoTime(), Double.NaN, Double.NaN, Double.NaN);
  }

  static Between between(Snapshot before, Snapshot after) {
    double seconds = (after.nanos() - before.nanos()) / 1e9;
    return new Between(
        (after.busySeconds() - before.busySeconds()) / seconds,
        (after.batchSizeSum() - before.batchSizeSum())
            / (after.batchCount() - before.batchCount()));
  }

  /** The value of the first series matching {@code pattern}, or NaN. */
  static double value(Pattern pattern, String body) {
    Matcher matcher = pattern.matcher(body);
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : Double.NaN;
  }
}
