package dev.inferpipe.profiles;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders a profile for {@code ./pipeline up --profile}: the worker's and the ingress's settings
 * (the same files the pods get) and {@code local.env}, the script's own variables. The local run
 * has one worker process with one consumer; the request topic gets one partition per replica the
 * profile may scale to, so that {@code ./pipeline up --autoscale} can use them all.
 */
public final class LocalRunRenderer {
  /** The worker's settings file, passed with {@code --spring.config.additional-location}. */
  public static final String WORKER_SETTINGS = "worker.properties";

  /** The ingress's settings file. */
  public static final String INGRESS_SETTINGS = "ingress.properties";

  /** Shell assignments the pipeline script sources. */
  public static final String SCRIPT_SETTINGS = "local.env";

  private LocalRunRenderer() {}

  /** File name to content, for the folder {@code .pipeline/profiles/<profile>}. */
  public static Map<String, String> render(PerformanceProfile profile) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put(
        WORKER_SETTINGS, ServiceSettings.propertiesFile(profile, ServiceSettings.worker(profile)));
    files.put(
        INGRESS_SETTINGS,
        ServiceSettings.propertiesFile(profile, ServiceSettings.ingress(profile)));
    files.put(
        SCRIPT_SETTINGS,
        "# Rendered from profiles/"
            + profile.name()
            + ".yaml by ./profile; sourced by ./pipeline up --profile.\n"
            + "REQUEST_PARTITIONS="
            + profile.worker().maxReplicas()
            + "\n");
    return files;
  }
}
