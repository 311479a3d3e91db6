package dev.inferpipe.profiles;

import dev.inferpipe.profiles.PerformanceProfile.Pod;

/**
 * Strategic-merge patches for the worker (Deployment, KEDA ScaledObject) and the ingress
 * (StatefulSet, HPA) with a profile's replicas, thresholds, resources and grace period.
 */
final class WorkloadPatches {
  private WorkloadPatches() {}

  static String worker(PerformanceProfile profile) {
    ShutdownBudget shutdown = ShutdownBudget.of(profile);
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: inferpipe-worker
        spec:
          template:
            spec:
              # preStop %2$ds + drain %3$ds (deadlines.max + worker.batchWait + margin) + margin
              terminationGracePeriodSeconds: %1$d
              containers:
                - name: worker
        %4$s
        ---
        # KEDA replaces a ScaledObject's lists whole, so the trigger is written out in full.
        apiVersion: keda.sh/v1alpha1
        kind: ScaledObject
        metadata:
          name: inferpipe-worker
        spec:
          minReplicaCount: %5$d
          maxReplicaCount: %6$d
          triggers:
            - type: kafka
              metadata:
                bootstrapServers: inferpipe-kafka-bootstrap:9092
                consumerGroup: inference.workers.all-minilm-l6-v2
                topic: inference.requests.all-minilm-l6-v2
                lagThreshold: "%7$d"
                activationLagThreshold: "%8$d"
                offsetResetPolicy: earliest
        """
        .formatted(
            shutdown.graceSeconds(),
            shutdown.preStop().toSeconds(),
            shutdown.drain().toSeconds(),
            resources(profile.resources().worker(), true),
            profile.worker().minReplicas(),
            profile.worker().maxReplicas(),
            profile.autoscaling().lagThreshold(),
            profile.autoscaling().activationLagThreshold());
  }

  static String ingress(PerformanceProfile profile) {
    ShutdownBudget shutdown = ShutdownBudget.of(profile);
    return """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: inferpipe-ingress
        spec:
          template:
            spec:
              # preStop %2$ds + drain %3$ds (deadlines.max + margin) + margin
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
