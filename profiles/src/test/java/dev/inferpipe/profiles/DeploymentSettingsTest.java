package dev.inferpipe.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferpipe.contracts.TopicNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * A copy of k8s/ whose base/settings.env names another Kafka, cluster, prefix, model and Prometheus
 * release: every overlay, rendered with {@code kubectl kustomize} (skipped where kubectl is
 * absent), carries them into every object that names them, and none of the defaults is left
 * anywhere.
 */
class DeploymentSettingsTest {
  private static final String BOOTSTRAP = "kafka-0.kafka.example:9093,kafka-1.kafka.example:9093";
  private static final String CLUSTER = "shared-kafka";
  private static final String PREFIX = "team.ml";
  private static final String MODEL = "e5.small-v2";
  private static final String RELEASE = "monitoring";
  private static final TopicNames TOPICS = new TopicNames(PREFIX);

  @TempDir Path copy;

  @ParameterizedTest
  @ValueSource(
      strings = {"development", "production", "high-throughput", "cost-optimized", "low-latency"})
  void everyObjectTakesTheSettingsFromSettingsEnv(String name) throws Exception {
    Path k8s = Repository.copyOfK8s(copy);
    Path settings = k8s.resolve("base/settings.env");
    String original = Files.readString(settings);
    Files.writeString(
        settings,
        original
            .replaceAll("(?m)^KAFKA_BOOTSTRAP_SERVERS=.*$", "KAFKA_BOOTSTRAP_SERVERS=" + BOOTSTRAP)
            .replaceAll("(?m)^KAFKA_CLUSTER=.*$", "KAFKA_CLUSTER=" + CLUSTER)
            .replaceAll("(?m)^TOPIC_PREFIX=.*$", "TOPIC_PREFIX=" + PREFIX)
            .replaceAll("(?m)^MODEL=.*$", "MODEL=" + MODEL)
            .replaceAll("(?m)^PROMETHEUS_RELEASE=.*$", "PROMETHEUS_RELEASE=" + RELEASE));

    List<JsonNode> manifests = RenderedOverlaysTest.render(k8s, name);

    JsonNode data = configMap(manifests, "inferpipe-kafka-").path("data");
    assertThat(data.path("KAFKA_BOOTSTRAP_SERVERS").asString()).isEqualTo(BOOTSTRAP);
    assertThat(data.path("KAFKA_CLUSTER").asString()).isEqualTo(CLUSTER);
    assertThat(data.path("TOPIC_PREFIX").asString()).isEqualTo(PREFIX);
    assertThat(data.path("MODEL").asString()).isEqualTo(MODEL);

    JsonNode trigger =
        RenderedOverlaysTest.find(manifests, "ScaledObject", "inferpipe-worker")
            .path("spec")
            .path("triggers")
            .get(0)
            .path("metadata");
    assertThat(trigger.path("bootstrapServers").asString()).isEqualTo(BOOTSTRAP);
    assertThat(trigger.path("topic").asString()).isEqualTo(TOPICS.requests(MODEL));
    assertThat(trigger.path("consumerGroup").asString()).isEqualTo(TOPICS.workerGroup(MODEL));

    Map<String, String> topicNames =
        Map.of(
            "inferpipe-requests", TOPICS.requests(MODEL),
            "inferpipe-responses", TOPICS.responses(MODEL),
            "inferpipe-replies", TOPICS.replies(),
            "inferpipe-dead-letters", TOPICS.deadLetters(TOPICS.requests(MODEL)),
            "inferpipe-models", TOPICS.models());
    topicNames.forEach(
        (resource, topic) -> {
          JsonNode kafkaTopic = RenderedOverlaysTest.find(manifests, "KafkaTopic", resource);
          assertThat(kafkaTopic.path("spec").path("topicName").asString()).isEqualTo(topic);
          assertThat(
                  kafkaTopic.path("metadata").path("labels").path("strimzi.io/cluster").asString())
              .isEqualTo(CLUSTER);
        });

    for (String app : List.of("inferpipe-worker", "inferpipe-ingress")) {
      JsonNode brokers =
          RenderedOverlaysTest.find(manifests, "NetworkPolicy", app)
              .path("spec")
              .path("egress")
              .get(0)
              .path("to")
              .get(0);
      assertThat(
              brokers.path("podSelector").path("matchLabels").path("strimzi.io/cluster").asString())
          .isEqualTo(CLUSTER);
    }
    assertThat(
            RenderedOverlaysTest.find(manifests, "ServiceMonitor", "inferpipe")
                .path("metadata")
                .path("labels")
                .path("release")
                .asString())
        .isEqualTo(RELEASE);

    String everything = manifests.toString();
    for (String stale : List.of("inferpipe-kafka-bootstrap", "all-minilm-l6-v2", "inference.")) {
      assertThat(everything).as("a default left in the rendered overlay").doesNotContain(stale);
    }
    assertThat(everything)
        .doesNotContain("\"strimzi.io/cluster\":\"inferpipe\"")
        .doesNotContain("kube-prometheus-stack");
  }

  private static JsonNode configMap(List<JsonNode> manifests, String namePrefix) {
    return manifests.stream()
        .filter(m -> m.path("kind").asString().equals("ConfigMap"))
        .filter(m -> m.path("metadata").path("name").asString().startsWith(namePrefix))
        .findFirst()
        .orElseThrow();
  }
}
