package dev.inferpipe.profiles;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Spring Boot settings a profile gives each service. The same properties files configure the
 * local run ({@code ./pipeline up --profile}) and the pods (a ConfigMap), so both run the profile
 * the same way.
 */
public final class ServiceSettings {
  private ServiceSettings() {}

  /** The worker's settings, in the order they are written. */
  public static Map<String, String> worker(PerformanceProfile profile) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("worker.batch-size", String.valueOf(profile.worker().batchSize()));
    settings.put("worker.batch-wait", Durations.format(profile.worker().batchWait()));
    settings.put("worker.instances", String.valueOf(profile.worker().instances()));
    settings.put("worker.reply-timeout", Durations.format(profile.worker().replyTimeout()));
    if (profile.worker().minReplicas() == 0) {
      // the ingress must queue requests while no worker runs: they are what starts one
      settings.put("worker.scales-from-zero", "true");
    }
    producer(profile, settings);
    shutdown(ShutdownBudget.worker(profile), settings);
    return settings;
  }

  /** The ingress's settings, in the order they are written. */
  public static Map<String, String> ingress(PerformanceProfile profile) {
    PerformanceProfile.Ingress ingress = profile.ingress();
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("ingress.in-flight-limit", String.valueOf(ingress.inFlightLimit()));
    settings.put("ingress.default-timeout", Durations.format(profile.deadlines().defaultTimeout()));
    settings.put("ingress.max-timeout", Durations.format(profile.deadlines().maxTimeout()));
    settings.put("server.tomcat.threads.max", String.valueOf(ingress.serverThreads()));
    settings.put("server.tomcat.accept-count", String.valueOf(ingress.acceptBacklog()));
    settings.put("server.tomcat.keep-alive-timeout", Durations.format(ingress.keepAlive()));
    producer(profile, settings);
    shutdown(ShutdownBudget.ingress(profile), settings);
    return settings;
  }

  /** Settings as a properties file headed by where they came from. */
  public static String propertiesFile(PerformanceProfile profile, Map<String, String> settings) {
    return "# Rendered from profiles/"
        + profile.name()
        + ".yaml by ./profile; do not edit by hand.\n"
        + settings.entrySet().stream()
            .map(entry -> entry.getKey() + "=" + entry.getValue() + "\n")
            .collect(Collectors.joining());
  }

  private static void producer(PerformanceProfile profile, Map<String, String> settings) {
    settings.put("spring.kafka.producer.acks", profile.producer().acks());
    settings.put("spring.kafka.producer.compression-type", profile.producer().compression());
    settings.put(
        "spring.kafka.producer.properties.linger.ms",
        String.valueOf(profile.producer().lingerMs()));
  }

  private static void shutdown(ShutdownBudget budget, Map<String, String> settings) {
    settings.put("spring.lifecycle.timeout-per-shutdown-phase", Durations.format(budget.drain()));
  }
}
