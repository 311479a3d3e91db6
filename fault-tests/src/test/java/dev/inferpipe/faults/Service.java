package dev.inferpipe.faults;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/** A running worker or ingress: its process and its HTTP port (health and Prometheus metrics). */
final class Service implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private final ServiceProcess process;
  private final int port;

  Service(ServiceProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  ServiceProcess process() {
    return process;
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Waits until {@code /v2/health/ready} says 200; fails at once, with its log, if it exited. */
  Service awaitReady() {
    await(process.name() + " ready")
        .atMost(Duration.ofSeconds(240))
        .pollInterval(Duration.ofMillis(300))
        .until(this::isReady);
    return this;
  }

  boolean isReady() {
    if (!process.isAlive()) {
      throw new IllegalStateException(process.name() + " exited\n" + process.logTail());
    }
    try {
      return get("/v2/health/ready").statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  /** The current Prometheus metrics, for reading a few values. */
  Metrics metrics() throws IOException {
    return new Metrics(get("/metrics").body());
  }

  /** Reads the metrics every 500 ms while {@code condition} holds (2 min at most); the peaks. */
  Metrics.Peak peakWhile(BooleanSupplier condition) throws IOException {
    AtomicReference<Metrics.Peak> peak =
        new AtomicReference<>(new Metrics.Peak(0, 0).with(metrics()));
    await(process.name() + " sampled while the condition holds")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              peak.set(peak.get().with(metrics()));
              return !condition.getAsBoolean();
            });
    return peak.get();
  }

  private HttpResponse<String> get(String path) throws IOException {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(uri().resolve(path)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  @Override
  public void close() {
    process.close();
  }

  @Override
  public String toString() {
    return process + " on " + uri();
  }
}
