package dev.inferpipe.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * What a platform engineer looks for in every rendered overlay (kubectl kustomize; skipped where
 * kubectl is absent): pods spread over zones and nodes, a service account without a token, a pull
 * policy that suits the tag, network policies, a ServiceMonitor label to select on; and, with the
 * kafka-sasl component, KEDA's TriggerAuthentication on the workloads' own Secret.
 */
class PlatformHygieneTest {
  private static final List<String> WORKLOADS =
      List.of("Deployment/inferpipe-worker", "StatefulSet/inferpipe-ingress");

  @TempDir Path copy;

  @ParameterizedTest
  @ValueSource(
      strings = {"development", "production", "high-throughput", "cost-optimized", "low-latency"})
  void everyOverlayIsHardenedForTheCluster(String name) throws Exception {
    List<JsonNode> manifests = RenderedOverlaysTest.render(name);

    JsonNode account = RenderedOverlaysTest.find(manifests, "ServiceAccount", "inferpipe");
    assertThat(account.path("automountServiceAccountToken").asBoolean(true)).isFalse();
    for (String workload : WORKLOADS) {
      String[] kindAndName = workload.split("/");
      JsonNode pod =
          RenderedOverlaysTest.find(manifests, kindAndName[0], kindAndName[1])
              .path("spec")
              .path("template");
      String app = pod.path("metadata").path("labels").path("app.kubernetes.io/name").asString();
      JsonNode spec = pod.path("spec");
      assertThat(spec.path("serviceAccountName").asString()).as(workload).isEqualTo("inferpipe");
      assertThat(spec.path("automountServiceAccountToken").asBoolean(true)).isFalse();

      List<String> spreadKeys =
          spec.path("topologySpreadConstraints")
              .valueStream()
              .peek(
                  constraint ->
                      assertThat(
                              constraint
                                  .path("labelSelector")
                                  .path("matchLabels")
                                  .path("app.kubernetes.io/name")
                                  .asString())
                          .as(workload + " spreads its own pods")
                          .isEqualTo(app))
              .map(constraint -> constraint.path("topologyKey").asString())
              .toList();
      assertThat(spreadKeys)
          .as(workload)
          .containsExactly("topology.kubernetes.io/zone", "kubernetes.io/hostname");

      for (JsonNode container : spec.path("containers")) {
        String image = container.path("image").asString();
        boolean moving = image.endsWith("-SNAPSHOT") || image.endsWith(":latest");
        assertThat(container.path("imagePullPolicy").asString())
            .as(image)
            .isEqualTo(moving ? "Always" : "IfNotPresent");
      }

      JsonNode policy = RenderedOverlaysTest.find(manifests, "NetworkPolicy", app).path("spec");
      assertThat(
              policy
                  .path("podSelector")
                  .path("matchLabels")
                  .path("app.kubernetes.io/name")
                  .asString())
          .isEqualTo(app);
      assertThat(policy.path("policyTypes").toString()).contains("Ingress").contains("Egress");
      JsonNode allowed = policy.path("ingress");
      assertThat(allowed.size()).isEqualTo(1);
      assertThat(allowed.get(0).path("ports").get(0).path("port").asString()).isEqualTo("http");
      if (app.equals("inferpipe-ingress")) {
        assertThat(allowed.get(0).has("from")).as("anyone may call the ingress").isFalse();
      } else {
        assertThat(
                allowed
                    .get(0)
                    .path("from")
                    .get(0)
                    .path("podSelector")
                    .path("matchLabels")
                    .toString())
            .as("only Prometheus scrapes a worker")
            .isEqualTo("{\"app.kubernetes.io/name\":\"prometheus\"}");
      }
      JsonNode egress = policy.path("egress");
      assertThat(
              egress
                  .get(0)
                  .path("to")
                  .get(0)
                  .path("podSelector")
                  .path("matchLabels")
                  .path("strimzi.io/cluster")
                  .asString())
          .isEqualTo("inferpipe");
      assertThat(egress.get(1).path("ports").get(0).path("port").asInt()).isEqualTo(53);
    }

    JsonNode monitor = RenderedOverlaysTest.find(manifests, "ServiceMonitor", "inferpipe");
    assertThat(monitor.path("metadata").path("labels").path("release").asString())
        .isEqualTo("kube-prometheus-stack");
  }

  @Test
  void theSaslComponentGivesKedaTheWorkloadsSecret() throws Exception {
    Path k8s = Repository.copyOfK8s(copy);
    Path base = k8s.resolve("base/kustomization.yaml");
    String kustomization = Files.readString(base);
    assertThat(kustomization).contains("# components:\n#   - ../components/kafka-sasl\n");
    Files.writeString(
        base,
        kustomization.replace(
            "# components:\n#   - ../components/kafka-sasl\n",
            "components:\n  - ../components/kafka-sasl\n"));

    List<JsonNode> manifests = RenderedOverlaysTest.render(k8s, "production");

    JsonNode auth =
        RenderedOverlaysTest.find(manifests, "TriggerAuthentication", "inferpipe-kafka");
    assertThat(
            auth.path("spec")
                .path("secretTargetRef")
                .valueStream()
                .map(ref -> ref.path("parameter").asString())
                .toList())
        .containsExactlyInAnyOrder("sasl", "username", "password", "tls", "ca");
    JsonNode trigger =
        RenderedOverlaysTest.find(manifests, "ScaledObject", "inferpipe-worker")
            .path("spec")
            .path("triggers")
            .get(0);
    assertThat(trigger.path("authenticationRef").path("name").asString())
        .isEqualTo("inferpipe-kafka");
    for (String workload : WORKLOADS) {
      String[] kindAndName = workload.split("/");
      JsonNode container =
          RenderedOverlaysTest.find(manifests, kindAndName[0], kindAndName[1])
              .path("spec")
              .path("template")
              .path("spec")
              .path("containers")
              .get(0);
      String secret = container.path("envFrom").get(0).path("secretRef").path("name").asString();
      auth.path("spec")
          .path("secretTargetRef")
          .forEach(ref -> assertThat(ref.path("name").asString()).isEqualTo(secret));
      assertThat(container.path("env").toString())
          .contains("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG")
          .contains("$(KAFKA_USERNAME)")
          .contains("$(KAFKA_PASSWORD)");
    }
    for (JsonNode manifest : manifests) {
      assertThat(ManifestValidator.problems(manifest)).isEmpty();
    }
  }
}
