package dev.inferpipe.ingress.web;

import dev.inferpipe.contracts.ErrorCode;
import dev.inferpipe.contracts.ModelMetadata;
import dev.inferpipe.ingress.IngressProperties;
import dev.inferpipe.ingress.kafka.RequestPublisher;
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

  IngressEndpoints(
      IngressProperties properties,
      Readiness readiness,
      RequestPublisher publisher,
      ConnectionDrain drain) {
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
                "async_results", readiness.asyncResults()));
  }

  @GetMapping("/v2")
  Map<String, Object> server() {
    return Map.of("name", "inferpipe", "version", "0.1.0", "extensions", new String[0]);
  }

  @GetMapping("/v2/models/{model}")
  ModelMetadata model(@PathVariable String model) {
    ModelMetadata metadata = properties.metadata(model);
    if (metadata == null) {
      throw new IngressException(
          ErrorCode.MODEL_NOT_FOUND,
          "unknown model '" + model + "'; this ingress serves " + properties.models().keySet());
    }
    return metadata;
  }

  @GetMapping("/v2/models/{model}/ready")
  ResponseEntity<Map<String, Object>> modelReady(@PathVariable String model) {
    model(model);
    return ready();
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
