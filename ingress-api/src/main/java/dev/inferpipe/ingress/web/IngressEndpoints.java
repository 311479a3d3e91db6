package dev.inferpipe.ingress.web;

import dev.inferpipe.contracts.ModelMetadata;
import dev.inferpipe.ingress.IngressProperties;
import dev.inferpipe.ingress.kafka.RequestPublisher;
import dev.inferpipe.ingress.models.ModelRegistry;
import dev.inferpipe.settings.SecretMasking;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Health, server and model metadata, and the effective configuration of the ingress. */
@RestController
class IngressEndpoints {
  private final IngressProperties properties;
  private final Readiness readiness;
  private final RequestPublisher publisher;
  private final ConnectionDrain drain;
  private final InferenceGateway gateway;

  IngressEndpoints(
      IngressProperties properties,
      Readiness readiness,
      RequestPublisher publisher,
      ConnectionDrain drain,
      InferenceGateway gateway) {
    this.gateway = gateway;
    this.properties = properties;
    this.readiness = readiness;
    this.publisher = publisher;
    this.drain = drain;
  }

  @GetMapping("/v2/health/live")
  Map<String, Object> live() {
    return Map.of("live", true);
  }

  @GetMapping({"/v2/health/ready", "/healthz"})
  ResponseEntity<Map<String, Object>> ready() {
    boolean ready = readiness.isReady() && !drain.isDraining();
    return ResponseEntity.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
        .body(
            Map.of(
                "ready", ready,
                "stopping", drain.isDraining(),
                "broker_reachable", readiness.brokerReachable(),
                "reply_partition", readiness.replyPartition(),
                "reply_partition_assigned", readiness.replyPartitionAssigned(),
                "async_results", readiness.asyncResults(),
                "models", readiness.modelsState()));
  }

  @GetMapping("/v2")
  Map<String, Object> server() {
    return Map.of("name", "inferpipe", "version", "0.1.0", "extensions", new String[0]);
  }

  /**
   * The model's Open Inference Protocol metadata as its workers announced it, with the most
   * requests per batch and the worker instances that serve it now.
   */
  @GetMapping("/v2/models/{model}")
  Map<String, Object> model(@PathVariable String model) {
    ModelRegistry.ServedModel served = gateway.findModel(model);
    ModelMetadata metadata = served.metadata();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", metadata.name());
    body.put("versions", metadata.versions());
    body.put("platform", metadata.platform());
    body.put("inputs", metadata.inputs());
    body.put("outputs", metadata.outputs());
    body.put("max_batch_size", served.maxBatchSize());
    body.put("instances", served.instances());
    return body;
  }

  /** 200 while this ingress is ready and a worker serves the model, else 503; 404 if unknown. */
  @GetMapping("/v2/models/{model}/ready")
  ResponseEntity<Map<String, Object>> modelReady(@PathVariable String model) {
    ModelRegistry.ServedModel served = gateway.findModel(model);
    boolean ready = served.isAvailable() && readiness.isReady() && !drain.isDraining();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", model);
    body.put("ready", ready);
    body.put("instances", served.instances());
    return ResponseEntity.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(body);
  }

  @GetMapping("/config")
  Map<String, Object> config() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("service", "ingress-api");
    config.put("ingress", properties); // API keys show their models only: the key is @JsonIgnore
    config.put("kafka_producer", SecretMasking.mask(publisher.config()));
    return config;
  }
}
