package dev.inferpipe.faults;

import static org.awaitility.Awaitility.await;

import dev.inferpipe.localrun.HttpService;
import dev.inferpipe.localrun.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * A running worker or ingress ({@link HttpService}, local-run's), with what the scenarios read from
 * it: its Prometheus metrics.
 */
final class Service implements AutoCloseable {
  private final HttpService service;

  Service(HttpService service) {
    this.service = service;
  }

  ServiceProcess process() {
    return service.process();
  }

  URI uri() {
    return service.uri();
  }

  /** Waits until {@code /v2/health/ready} says 200; fails at once, with its log, if it exited. */
  Service awaitReady() {
    service.awaitReady();
    return this;
  }

  boolean isReady() {
    return service.isReady();
  }

  /** The current Prometheus metrics, for reading a few values. */
  Metrics metrics() throws IOException {
    return new Metrics(service.get("/metrics").body());
  }

  /** Reads the metrics every 500 ms while {@code condition} holds (2 min at most); the peaks. */
  Metrics.Peak peakWhile(BooleanSupplier condition) throws IOException {
    AtomicReference<Metrics.Peak> peak =
        new AtomicReference<>(new Metrics.Peak(0, 0).with(metrics()));
    await(process().name() + " sampled while the condition holds")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              peak.set(peak.get().with(metrics()));
              return !condition.getAsBoolean();
            });
    return peak.get();
  }

  @Override
  public void close() {
    service.close();
  }

  @Override
  public String toString() {
    return service.toString();
  }
}
