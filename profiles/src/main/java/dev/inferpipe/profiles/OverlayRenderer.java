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
  private OverlayRenderer() {}

  /** File name to content, for the folder {@code k8s/overlays/<profile>}. */
  public static Map<String, String> render(PerformanceProfile profile) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("kustomization.yaml", kustomization(profile));
    files.put("worker.properties", properties(profile, ServiceSettings.worker(profile)));
    files.put("ingress.properties", properties(profile, ServiceSettings.ingress(profile)));
    files.put("worker-patch.yaml", WorkloadPatches.worker(profile));
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
          - path: ingress-patch.yaml
          - path: topics-patch.yaml
        """
        .formatted(profile.name(), profile.description());
  }

  private static String topics(PerformanceProfile profile) {
    int requests = profile.autoscaling().requestPartitions();
    return """
        # Requests: autoscaling.requestPartitions (the ceiling on worker consumers). Replies: one
        # partition per ingress pod at most (ingress.maxReplicas). Kafka cannot shrink a topic.
        apiVersion: kafka.strimzi.io/v1beta2
        kind: KafkaTopic
        metadata:
          name: inference-requests-all-minilm-l6-v2
        spec:
          partitions: %1$d
        ---
        apiVersion: kafka.strimzi.io/v1beta2
        kind: KafkaTopic
        metadata:
          name: inference-responses-all-minilm-l6-v2
        spec:
          partitions: %1$d
        ---
        apiVersion: kafka.strimzi.io/v1beta2
        kind: KafkaTopic
        metadata:
          name: inference-replies
        spec:
          partitions: %2$d
        """
        .formatted(requests, profile.ingress().maxReplicas());
  }
}
