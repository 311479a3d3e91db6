package dev.inferpipe.loadgen.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a worker's {@code /metrics} every half second during a run: the batch wait in force (fixed
 * or chosen by adaptive batching) and the requests per batch so far. Owns its sampling thread,
 * stopped by {@link #stop}.
 */
final class WorkerGauges {
  /** One reading: seconds since the start, the wait in ms, and the batch-size sum and count. */
  record Sample(double second, double waitMs, double batchSizeSum, double batchCount) {}

  private static final Pattern WAIT =
      Pattern.compile("(?m)^inference_worker_batch_wait_seconds\\{[^}]*} (\\S+)$");

  private final URI metrics;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Sample> samples = new ArrayList<>();
  private final Thread thread;
  private final long start = System.nanoTime();
  private volatile boolean running = true;

  WorkerGauges(String workerUrl) {
    this.metrics = URI.create(workerUrl + "/metrics");
    this.thread = new Thread(this::sample, "worker-gauges");
    thread.setDaemon(true);
    thread.start();
  }

  private void sample() {
    while (running) {
      try {
        String body =
            http.send(
                    HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        Sample sample =
            new Sample(
                (System.nanoTime() - start) / 1e9,
                WorkerCounters.value(WAIT, body) * 1000,
                WorkerCounters.value(WorkerCounters.SIZE_SUM, body),
                WorkerCounters.value(WorkerCounters.SIZE_COUNT, body));
        synchronized (samples) {
          samples.add(sample);
        }
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        // a missed reading only thins the samples
      }
    }
  }

  /** Stops sampling and returns the readings. */
  List<Sample> stop() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(5000);
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }
}
