package dev.inferpipe.profiles;

import dev.inferpipe.profiles.PerformanceProfile.Pod;

/**
 * Strategic-merge patches for the worker (Deployment, KEDA ScaledObject) and the ingress
 * (StatefulSet, HPA) with a profile's replicas, thresholds, resources and grace period.
 */
final class WorkloadPatches {
  private WorkloadPatches() {}

  static String worker(PerformanceProfile profile) {
    ShutdownBudget shutdown = ShutdownBudget.worker(profile);
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: inferpipe-worker
        spec:
          template:
            spec:
              # preStop %2$ds + stop %3$ds (worker.replyTimeout + 15s threads + 10s producer + margin)
              # + margin
              terminationGracePeriodSeconds: %1$d
              containers:
                - name: worker
        %4$s
        """
        .formatted(
            shutdown.graceSeconds(),
            shutdown.preStop().toSeconds(),
            shutdown.drain().toSeconds(),
            resources(profile.resources().worker(), true));
  }

  /**
   * A JSON patch of the KEDA ScaledObject: its replicas and the trigger's thresholds, leaving the
   * trigger's Kafka address, topic and group as base/settings.env made them (a merge patch would
   * replace the trigger list whole).
   */
  static String scaledObject(PerformanceProfile profile) {
    return """
        # KEDA's replicas and lag thresholds from the profile; the trigger's Kafka address, topic and
        # consumer group stay as k8s/base/settings.env set them.
        - op: replace
          path: /spec/minReplicaCount
          value: %d
        - op: replace
          path: /spec/maxReplicaCount
          value: %d
        - op: replace
          path: /spec/triggers/0/metadata/lagThreshold
          value: "%d"
        - op: replace
          path: /spec/triggers/0/metadata/activationLagThreshold
          value: "%d"
        """
        .formatted(
            profile.worker().minReplicas(),
            profile.worker().maxReplicas(),
            profile.autoscaling().lagThreshold(),
            profile.autoscaling().activationLagThreshold());
  }

  static String ingress(PerformanceProfile profile) {
    ShutdownBudget shutdown = ShutdownBudget.ingress(profile);
    return """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: inferpipe-ingress
        spec:
          template:
            spec:
              # preStop %2$ds + drain %3$ds (close period + deadlines.max + margin) + margin
              terminationGracePeriodSeconds: %1$d
              containers:
                - name: ingress
        %4$s
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata:
          name: inferpipe-ingress
        spec:
          minReplicas: %5$d
          maxReplicas: %6$d
        """
        .formatted(
            shutdown.graceSeconds(),
            shutdown.preStop().toSeconds(),
            shutdown.drain().toSeconds(),
            resources(profile.resources().ingress(), false),
            profile.ingress().minReplicas(),
            profile.ingress().maxReplicas());
  }

  /** Requests equal to limits (Guaranteed QoS); a GPU count of 0 removes the GPU request. */
  private static String resources(Pod pod, boolean gpuKey) {
    String amounts = "    cpu: \"" + pod.cpu() + "\"\n    memory: " + pod.memory() + "\n";
    if (gpuKey) {
      amounts +=
          "    nvidia.com/gpu: " + (pod.gpu() == 0 ? "null" : "\"" + pod.gpu() + "\"") + "\n";
    }
    return ("resources:\n  requests:\n" + amounts + "  limits:\n" + amounts)
        .indent(10)
        .stripTrailing();
  }
}
