package dev.inferpipe.profiles;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders a profile for {@code ./pipeline up --profile}: the worker's and the ingress's settings
 * (the same files the pods get). The local run has one worker process with one consumer; the
 * request topic gets {@link #requestPartitions}, one partition per replica the profile may scale
 * to, so that {@code ./pipeline up --autoscale} can use them all.
 */
public final class LocalRunRenderer {
  /** The worker's settings file, passed with {@code --spring.config.additional-location}. */
  public static final String WORKER_SETTINGS = "worker.properties";

  /** The ingress's settings file. */
  public static final String INGRESS_SETTINGS = "ingress.properties";

  private LocalRunRenderer() {}

  /** File name to content, for the folder {@code .pipeline/profiles/<profile>}. */
  public static Map<String, String> render(PerformanceProfile profile) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put(
        WORKER_SETTINGS, ServiceSettings.propertiesFile(profile, ServiceSettings.worker(profile)));
    files.put(
        INGRESS_SETTINGS,
        ServiceSettings.propertiesFile(profile, ServiceSettings.ingress(profile)));
    return files;
  }

  /** The local run's request partitions under {@code profile}: one per worker it may scale to. */
  public static int requestPartitions(PerformanceProfile profile) {
    return profile.worker().maxReplicas();
  }
}
