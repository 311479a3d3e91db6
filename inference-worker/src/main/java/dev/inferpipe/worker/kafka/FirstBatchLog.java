package dev.inferpipe.worker.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs, once per worker, how long after its process started it answered its first batch: the
 * start-up time that matters when a replica is added under load.
 */
final class FirstBatchLog {
  private static final Logger log = LoggerFactory.getLogger(FirstBatchLog.class);

  private final AtomicBoolean logged = new AtomicBoolean();
  private final String model;

  FirstBatchLog(String model) {
    this.model = model;
  }

  /** Hears that a batch of {@code size} requests was answered. */
  void served(int size) {
    if (!logged.compareAndSet(false, true)) {
      return;
    }
    Instant started = ProcessHandle.current().info().startInstant().orElse(null);
    if (started == null) {
      log.info("first batch of {} ({} request(s)) served", model, size);
      return;
    }
    log.info(
        "first batch of {} ({} request(s)) served {} ms after the process started",
        model,
        size,
        Duration.between(started, Instant.now()).toMillis());
  }
}
