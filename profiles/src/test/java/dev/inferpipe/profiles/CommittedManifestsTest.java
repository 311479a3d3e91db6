package dev.inferpipe.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** The committed k8s/ folder, checked without kubectl: valid base, overlays up to date. */
class CommittedManifestsTest {
  private static final Path K8S = Repository.root().resolve("k8s");

  @Test
  void everyBaseManifestValidates() throws IOException {
    List<Path> manifests;
    try (Stream<Path> files = Files.list(K8S.resolve("base"))) {
      manifests =
          files
              .filter(file -> file.toString().endsWith(".yaml"))
              .filter(file -> !file.endsWith("kustomization.yaml"))
              .filter(file -> !file.endsWith("settings-replacements.yaml"))
              .toList();
    }
    assertThat(manifests).hasSizeGreaterThanOrEqualTo(10);
    for (Path manifest : manifests) {
      for (JsonNode document : ManifestValidator.documents(Files.readString(manifest))) {
        assertThat(ManifestValidator.problems(document)).as(manifest.toString()).isEmpty();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"kafka-development.yaml", "kafka.yaml"})
  void theExampleKafkaClustersValidateAndServeTheDefaultSettings(String file) throws IOException {
    List<JsonNode> documents =
        ManifestValidator.documents(Files.readString(K8S.resolve("strimzi").resolve(file)));
    for (JsonNode document : documents) {
      assertThat(ManifestValidator.problems(document)).as(file).isEmpty();
    }
    JsonNode kafka =
        documents.stream()
            .filter(document -> document.path("kind").asString().equals("Kafka"))
            .findFirst()
            .orElseThrow();
    String settings = Files.readString(K8S.resolve("base/settings.env"));
    String cluster = kafka.path("metadata").path("name").asString();
    assertThat(settings)
        .contains("KAFKA_CLUSTER=" + cluster + "\n")
        .contains("KAFKA_BOOTSTRAP_SERVERS=" + cluster + "-kafka-bootstrap:9092\n");
    assertThat(kafka.path("spec").path("entityOperator").has("topicOperator")).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"development", "production", "high-throughput", "cost-optimized", "low-latency"})
  void theCommittedOverlayIsWhatItsProfileRenders(String name) {
    PerformanceProfile profile = Repository.layout().catalog().load(name);

    assertThat(Repository.layout().overlay(profile).isUpToDate())
        .as("k8s/overlays/%s is stale: run ./profile apply %s", name, name)
        .isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"development", "production", "high-throughput", "cost-optimized", "low-latency"})
  void theCommittedKedaPatchCarriesTheProfilesThresholdAndReplicas(String name) throws IOException {
    PerformanceProfile profile = Repository.layout().catalog().load(name);
    String patch = Files.readString(K8S.resolve("overlays/" + name + "/scaledobject-patch.yaml"));

    Map<String, String> replaced = new HashMap<>();
    for (JsonNode operation : ManifestValidator.documents(patch).get(0)) {
      assertThat(operation.path("op").asString()).isEqualTo("replace");
      replaced.put(operation.path("path").asString(), operation.path("value").asString());
    }
    assertThat(replaced)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "/spec/minReplicaCount", String.valueOf(profile.worker().minReplicas()),
                "/spec/maxReplicaCount", String.valueOf(profile.worker().maxReplicas()),
                "/spec/triggers/0/metadata/lagThreshold",
                    String.valueOf(profile.autoscaling().lagThreshold()),
                "/spec/triggers/0/metadata/activationLagThreshold",
                    String.valueOf(profile.autoscaling().activationLagThreshold())));
  }

  @Test
  void theValidatorRefusesUnknownFieldsAndWrongTypes() {
    String deployment =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: x
        spec:
          replicas: 1
          template:
            spec:
              containers:
                - name: c
                  image: i
                  imagePullPolicyy: Always
        """;
    assertThat(ManifestValidator.problems(ManifestValidator.documents(deployment).get(0)))
        .singleElement()
        .asString()
        .contains("unknown field(s) [imagePullPolicyy]");

    String kafkaTopic =
        """
        apiVersion: kafka.strimzi.io/v1beta2
        kind: KafkaTopic
        metadata:
          name: x
        spec:
          partitions: 3
          replica: 3
        """;
    assertThat(ManifestValidator.problems(ManifestValidator.documents(kafkaTopic).get(0)))
        .singleElement()
        .asString()
        .contains("unknown field(s) [replica]");

    String serviceMonitor =
        """
        apiVersion: monitoring.coreos.com/v1
        kind: ServiceMonitor
        metadata:
          name: x
        spec:
          endpoints: {port: http}
        """;
    assertThat(ManifestValidator.problems(ManifestValidator.documents(serviceMonitor).get(0)))
        .singleElement()
        .asString()
        .contains("does not deserialize");
  }
}
