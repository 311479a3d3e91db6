package dev.inferpipe.autoscaler;

/**
 * The worker replicas a {@link Supervisor} scales: processes on this machine (the local run's
 * {@code WorkerReplicas}), pods elsewhere. Called from the supervisor's thread only.
 */
public interface Replicas extends AutoCloseable {
  /** Replicas started and not asked to stop. */
  int running();

  /** Replicas asked to stop that have not exited yet. */
  int stopping();

  /** Starts or stops replicas until {@code replicas} run. */
  void scaleTo(int replicas);

  /** Stops every replica, letting each finish its batch. */
  @Override
  void close();
}
