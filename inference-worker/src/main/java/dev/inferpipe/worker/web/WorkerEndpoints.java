package dev.inferpipe.worker.web;

import dev.inferpipe.contracts.ModelMetadata;
import dev.inferpipe.settings.SecretMasking;
import dev.inferpipe.worker.WorkerProperties;
import dev.inferpipe.worker.kafka.WorkerPool;
import dev.inferpipe.worker.model.ModelRunner;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Health, model metadata and the effective configuration of the worker. */
@RestController
class WorkerEndpoints {
  private final WorkerPool pool;
  private final ModelRunner runner;
  private final WorkerProperties properties;
  private final WorkerLiveness liveness;

  WorkerEndpoints(WorkerPool pool, ModelRunner runner, WorkerProperties properties) {
    this.pool = pool;
    this.runner = runner;
    this.properties = properties;
    this.liveness =
        new WorkerLiveness(
            () -> pool.isRunning() && !pool.isStopping() && !pool.isAlive(),
            properties.livenessBound(),
            System::nanoTime);
  }

  /** Fails once the fetcher or an executor has been dead longer than worker.liveness-bound. */
  @GetMapping("/v2/health/live")
  ResponseEntity<Map<String, Object>> live() {
    boolean live = liveness.isLive();
    return ResponseEntity.status(live ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
        .body(Map.of("live", live));
  }

  /** Ready while the model's fetcher and every executor run; says which model. */
  @GetMapping({"/v2/health/ready", "/healthz"})
  ResponseEntity<Map<String, Object>> ready() {
    boolean ready = pool.isHealthy();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("ready", ready);
    body.put("model", runner.metadata().name());
    if (pool.kafkaRefusal() != null) {
      body.put("kafka_refused", pool.kafkaRefusal());
    }
    return ResponseEntity.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(body);
  }

  @GetMapping("/v2/models/{model}")
  ResponseEntity<ModelMetadata> model(@PathVariable String model) {
    return runner.metadata().name().equals(model)
        ? ResponseEntity.ok(runner.metadata())
        : ResponseEntity.notFound().build();
  }

  @GetMapping("/config")
  Map<String, Object> config() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("service", "inference-worker");
    config.put("model", runner.toString());
    config.put("platform", runner.metadata().platform());
    config.put("worker", properties);
    config.put("kafka_consumer", SecretMasking.mask(pool.consumerConfigForDisplay()));
    return config;
  }
}
