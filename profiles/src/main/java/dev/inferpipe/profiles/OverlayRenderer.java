package dev.inferpipe.profiles;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders a profile as a Kustomize overlay of {@code k8s/base}: the services' settings as
 * ConfigMaps, and patches for replicas, KEDA's thresholds, resources, grace periods and topic
 * partitions. The output is a pure function of the profile, so the committed overlays can be
 * checked against it.
 */
public final class OverlayRenderer {
  /** A profile without GPUs runs the worker's CPU build (worker.Dockerfile, FLAVOR=cpu). */
  static final String CPU_WORKER_IMAGE =
      """
      images:
        # no GPU: the worker's CPU build (k8s/images/worker.Dockerfile with FLAVOR=cpu)
        - name: inferpipe/inference-worker
          newName: inferpipe/inference-worker-cpu
      """;

  private OverlayRenderer() {}

  /** File name to content, for the folder {@code k8s/overlays/<profile>}. */
  public static Map<String, String> render(PerformanceProfile profile) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("kustomization.yaml", kustomization(profile));
    files.put("worker.properties", properties(profile, ServiceSettings.worker(profile)));
    files.put("ingress.properties", properties(profile, ServiceSettings.ingress(profile)));
    files.put("worker-patch.yaml", WorkloadPatches.worker(profile));
    files.put("scaledobject-patch.yaml", WorkloadPatches.scaledObject(profile));
    files.put("ingress-patch.yaml", WorkloadPatches.ingress(profile));
    files.put("topics-patch.yaml", topics(profile));
    return files;
  }

  private static String properties(PerformanceProfile profile, Map<String, String> settings) {
    return ServiceSettings.propertiesFile(profile, settings);
  }

  private static String kustomization(PerformanceProfile profile) {
    return """
        # Rendered from profiles/%1$s.yaml by ./profile apply %1$s; do not edit by hand.
        # %2$s
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources:
          - ../../base
        labels:
          - pairs:
              inferpipe.dev/profile: %1$s
            includeSelectors: false
            includeTemplates: true
        configMapGenerator:
          - name: inferpipe-worker-settings
            behavior: replace
            files:
              - application.properties=worker.properties
          - name: inferpipe-ingress-settings
            behavior: replace
            files:
              - application.properties=ingress.properties
        patches:
          - path: worker-patch.yaml
          - path: scaledobject-patch.yaml
            target:
              kind: ScaledObject
              name: inferpipe-worker
          - path: ingress-patch.yaml
          - path: topics-patch.yaml
        """
            .formatted(profile.name(), profile.description())
        + (profile.resources().worker().gpu() == 0 ? CPU_WORKER_IMAGE : "");
  }

  private static String topics(PerformanceProfile profile) {
    PerformanceProfile.Topics topics = profile.topics();
    int requests = profile.autoscaling().requestPartitions();
    return """
        # Partitions: requests and responses autoscaling.requestPartitions (the ceiling on worker
        # consumers), replies topics.replyPartitions (one per ingress pod at most); the dead letters
        # and the models keep the base's one. Replicas and min.insync.replicas: topics.*. Kafka
        # cannot shrink a topic.
        """
        + String.join(
            "---\n",
            topic("inferpipe-requests", requests, topics),
            topic("inferpipe-responses", requests, topics),
            topic("inferpipe-replies", topics.replyPartitions(), topics),
            topic("inferpipe-dead-letters", 0, topics),
            topic("inferpipe-models", 0, topics));
  }

  /** One KafkaTopic's patch; {@code partitions} 0 keeps the base's. */
  private static String topic(String name, int partitions, PerformanceProfile.Topics topics) {
    return """
        apiVersion: kafka.strimzi.io/v1beta2
        kind: KafkaTopic
        metadata:
          name: %s
        spec:
        %s  replicas: %d
          config:
            min.insync.replicas: %d
        """
        .formatted(
            name,
            partitions > 0 ? "  partitions: " + partitions + "\n" : "",
            topics.replicas(),
            topics.minInSyncReplicas());
  }
}
