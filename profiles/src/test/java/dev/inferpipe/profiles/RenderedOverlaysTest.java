package dev.inferpipe.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Renders every overlay with {@code kubectl kustomize} (skipped where kubectl is absent) and checks
 * the result: every manifest validates, and autoscaling, GPUs and settings are the profile's.
 */
class RenderedOverlaysTest {
  @ParameterizedTest
  @ValueSource(
      strings = {"development", "production", "high-throughput", "cost-optimized", "low-latency"})
  void theRenderedOverlayValidatesAndCarriesTheProfile(String name) throws Exception {
    PerformanceProfile profile = Repository.layout().catalog().load(name);
    List<JsonNode> manifests = render(name);

    assertThat(manifests.size()).as("manifests").isEqualTo(21);
    for (JsonNode manifest : manifests) {
      assertThat(ManifestValidator.problems(manifest)).isEmpty();
      assertThat(manifest.path("metadata").path("labels").path("inferpipe.dev/profile").asString())
          .isEqualTo(name);
    }

    JsonNode keda = find(manifests, "ScaledObject", "inferpipe-worker").path("spec");
    JsonNode trigger = keda.path("triggers").get(0).path("metadata");
    assertThat(trigger.path("lagThreshold").asString())
        .isEqualTo(String.valueOf(profile.autoscaling().lagThreshold()));
    assertThat(trigger.path("activationLagThreshold").asString())
        .isEqualTo(String.valueOf(profile.autoscaling().activationLagThreshold()));
    assertThat(keda.path("minReplicaCount").asInt()).isEqualTo(profile.worker().minReplicas());
    assertThat(keda.path("maxReplicaCount").asInt()).isEqualTo(profile.worker().maxReplicas());

    JsonNode requests = find(manifests, "KafkaTopic", "inferpipe-requests");
    assertThat(requests.path("spec").path("partitions").asInt())
        .isEqualTo(profile.autoscaling().requestPartitions())
        .isGreaterThanOrEqualTo(keda.path("maxReplicaCount").asInt());
    assertThat(requests.path("spec").path("topicName").asString())
        .isEqualTo(trigger.path("topic").asString());

    JsonNode hpa = find(manifests, "HorizontalPodAutoscaler", "inferpipe-ingress").path("spec");
    assertThat(hpa.path("minReplicas").asInt()).isEqualTo(profile.ingress().minReplicas());
    assertThat(hpa.path("maxReplicas").asInt()).isEqualTo(profile.ingress().maxReplicas());
    assertThat(hpa.path("behavior").isObject()).isTrue();
    assertThat(
            find(manifests, "KafkaTopic", "inferpipe-replies")
                .path("spec")
                .path("partitions")
                .asInt())
        .isEqualTo(profile.topics().replyPartitions())
        .isGreaterThanOrEqualTo(profile.ingress().maxReplicas());
    assertThat(
            find(manifests, "KafkaTopic", "inferpipe-models")
                .path("spec")
                .path("config")
                .path("cleanup.policy")
                .asString())
        .isEqualTo("compact");
    for (JsonNode topic :
        manifests.stream().filter(m -> m.path("kind").asString().equals("KafkaTopic")).toList()) {
      assertThat(topic.path("spec").path("replicas").asInt())
          .isEqualTo(profile.topics().replicas());
      assertThat(topic.path("spec").path("config").path("min.insync.replicas").asInt())
          .isEqualTo(profile.topics().minInSyncReplicas());
    }

    JsonNode worker = find(manifests, "Deployment", "inferpipe-worker");
    JsonNode limits = container(worker).path("resources").path("limits");
    int gpus = profile.resources().worker().gpu();
    assertThat(
            limits.path("nvidia.com/gpu").isMissingNode()
                ? 0
                : limits.path("nvidia.com/gpu").asInt())
        .isEqualTo(gpus);
    assertHardened(worker, ShutdownBudget.worker(profile));
    assertHardened(
        find(manifests, "StatefulSet", "inferpipe-ingress"), ShutdownBudget.ingress(profile));

    String settings =
        manifests.stream()
            .filter(
                m ->
                    m.path("metadata")
                        .path("name")
                        .asString()
                        .startsWith("inferpipe-worker-settings"))
            .findFirst()
            .orElseThrow()
            .path("data")
            .path("application.properties")
            .asString();
    assertThat(settings).contains("worker.batch-size=" + profile.worker().batchSize() + "\n");
  }

  private static void assertHardened(JsonNode workload, ShutdownBudget shutdown) {
    JsonNode pod = workload.path("spec").path("template").path("spec");
    JsonNode container = container(workload);
    assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean())
        .isTrue();
    assertThat(container.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true))
        .isFalse();
    assertThat(
            container.path("securityContext").path("capabilities").path("drop").get(0).asString())
        .isEqualTo("ALL");
    for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
      assertThat(container.path(probe).path("httpGet").path("path").asString())
          .as(probe)
          .startsWith("/v2/health/");
    }
    assertThat(container.path("lifecycle").path("preStop").isObject()).isTrue();
    assertThat(container.path("resources").path("requests").isObject()).isTrue();
    assertThat(pod.path("terminationGracePeriodSeconds").asLong())
        .isGreaterThan(shutdown.preStop().plus(shutdown.drain()).toSeconds());
  }

  private static JsonNode container(JsonNode workload) {
    return workload.path("spec").path("template").path("spec").path("containers").get(0);
  }

  /** The overlay {@code profile} of the repository's k8s/, rendered. */
  static List<JsonNode> render(String profile) throws IOException, InterruptedException {
    return render(Repository.root().resolve("k8s"), profile);
  }

  /** The overlay {@code profile} of the k8s/ folder {@code k8s}, rendered. */
  static List<JsonNode> render(Path k8s, String profile) throws IOException, InterruptedException {
    assumeTrue(onPath("kubectl"), "kubectl is not installed: rendering with Kustomize is skipped");
    Path overlay = k8s.resolve("overlays/" + profile);
    Process process =
        new ProcessBuilder("kubectl", "kustomize", overlay.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("kubectl kustomize " + overlay).isZero();
    return ManifestValidator.documents(output);
  }

  static JsonNode find(List<JsonNode> manifests, String kind, String name) {
    return manifests.stream()
        .filter(m -> m.path("kind").asString().equals(kind))
        .filter(m -> m.path("metadata").path("name").asString().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  /** Whether {@code program} is an executable on the PATH. */
  static boolean onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String folder : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(folder, program))) {
        return true;
      }
    }
    return false;
  }
}
