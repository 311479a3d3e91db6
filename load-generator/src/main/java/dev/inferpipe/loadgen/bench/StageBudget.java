package dev.inferpipe.loadgen.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The latency budget of a run: the stage histograms of the ingress ({@code
 * inference_ingress_stage_seconds}) and the worker ({@code inference_worker_stage_seconds}) read
 * before and after it, and the p50 and p99 of each stage from the buckets filled in between.
 */
final class StageBudget {
  /** Cumulative bucket counts per "service stage", by upper bound in seconds. */
  record Snapshot(Map<String, TreeMap<Double, Double>> buckets) {}

  /** One stage's percentiles in milliseconds, and how many requests it saw. */
  record Stage(double p50Ms, double p99Ms, long count) {}

  private static final Pattern BUCKET =
      Pattern.compile("(?m)^inference_(ingress|worker)_stage_seconds_bucket\\{([^}]*)} (\\S+)$");
  private static final Pattern STAGE = Pattern.compile("stage=\"([^\"]+)\"");
  private static final Pattern LE = Pattern.compile("le=\"([^\"]+)\"");

  private final HttpClient http = HttpClient.newHttpClient();
  private final URI[] scrapes;

  StageBudget(String... serviceUrls) {
    this.scrapes = new URI[serviceUrls.length];
    for (int i = 0; i < serviceUrls.length; i++) {
      scrapes[i] = URI.create(serviceUrls[i] + "/metrics");
    }
  }

  Snapshot read() throws Exception {
    Map<String, TreeMap<Double, Double>> buckets = new LinkedHashMap<>();
    for (URI scrape : scrapes) {
      String body =
          http.send(
                  HttpRequest.newBuilder(scrape).timeout(Duration.ofSeconds(5)).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      Matcher line = BUCKET.matcher(body);
      while (line.find()) {
        Matcher stage = STAGE.matcher(line.group(2));
        Matcher le = LE.matcher(line.group(2));
        if (stage.find() && le.find()) {
          double bound =
              le.group(1).equals("+Inf")
                  ? Double.POSITIVE_INFINITY
                  : Double.parseDouble(le.group(1));
          buckets
              .computeIfAbsent(line.group(1) + " " + stage.group(1), k -> new TreeMap<>())
              .merge(bound, Double.parseDouble(line.group(3)), Double::sum);
        }
      }
    }
    return new Snapshot(buckets);
  }

  /** Each stage's p50 and p99 over what was recorded between the two readings. */
  static Map<String, Stage> between(Snapshot before, Snapshot after) {
    Map<String, Stage> stages = new LinkedHashMap<>();
    after
        .buckets()
        .forEach(
            (stage, cumulative) -> {
              TreeMap<Double, Double> earlier =
                  before.buckets().getOrDefault(stage, new TreeMap<>());
              TreeMap<Double, Double> delta = new TreeMap<>();
              cumulative.forEach(
                  (bound, count) -> delta.put(bound, count - earlier.getOrDefault(bound, 0.0)));
              double total = delta.lastEntry().getValue();
              if (total > 0) {
                stages.put(
                    stage,
                    new Stage(
                        quantile(delta, total, 0.5), quantile(delta, total, 0.99), (long) total));
              }
            });
    return stages;
  }

  /** Linear within the bucket that holds the quantile, as Prometheus's histogram_quantile. */
  private static double quantile(TreeMap<Double, Double> cumulative, double total, double q) {
    double rank = q * total;
    double lower = 0;
    double below = 0;
    for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
      if (bucket.getValue() >= rank) {
        if (bucket.getKey().isInfinite()) {
          return lower * 1000;
        }
        double inBucket = bucket.getValue() - below;
        double fraction = inBucket == 0 ? 0 : (rank - below) / inBucket;
        return (lower + (bucket.getKey() - lower) * fraction) * 1000;
      }
      lower = bucket.getKey();
      below = bucket.getValue();
    }
    return lower * 1000;
  }
}
