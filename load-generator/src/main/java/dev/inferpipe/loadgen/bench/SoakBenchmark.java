package dev.inferpipe.loadgen.bench;

import dev.inferpipe.loadgen.report.RunReport;
import dev.inferpipe.loadgen.trace.TraceEntry;
import dev.inferpipe.localrun.PidFile;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Holds the local pipeline at a share of its measured capacity for a long time and watches for slow
 * leaks: after each sampling interval it reads each service's heap after a full GC ({@code jcmd
 * GC.run}), its threads and open file descriptors, the ingress's waiting requests (the correlator)
 * and the worker's consumer lag. It fails if any request is not answered 200, or if a series keeps
 * growing: see {@link Trend}.
 */
@Command(
    name = "benchmark soak",
    mixinStandardHelpOptions = true,
    description = "Holds the pipeline at ~70% of capacity and fails on a leak or a lost request.")
public final class SoakBenchmark implements Callable<Integer> {
  private static final String HTTP = "http://127.0.0.1:8080";
  private static final String WORKER = "http://127.0.0.1:8081";

  @Option(
      names = "--minutes",
      defaultValue = "30",
      description = "how long to hold the load (default: ${DEFAULT-VALUE})")
  int minutes;

  @Option(
      names = "--sample-seconds",
      defaultValue = "60",
      description = "seconds between samples (default: ${DEFAULT-VALUE})")
  int sampleSeconds;

  @Option(
      names = "--load",
      defaultValue = "0.7",
      description = "share of the measured capacity to offer (default: ${DEFAULT-VALUE})")
  double load;

  @Option(
      names = "--model",
      defaultValue = "all-minilm-l6-v2",
      description = "the model to serve (default: ${DEFAULT-VALUE})")
  String model;

  @Option(
      names = "--profile",
      defaultValue = "production",
      description = "the performance profile (default: ${DEFAULT-VALUE})")
  String profile;

  @Option(names = "--root", defaultValue = ".", description = "the repository root")
  Path root;

  /** One reading of every watched series, by name. */
  record Sample(double minute, Map<String, Double> values) {}

  @Override
  public Integer call() throws Exception {
    LocalPipeline pipeline = new LocalPipeline(root);
    try {
      pipeline.up(model, profile, List.of());
      List<TraceEntry> pool = Runs.entries(model, "text", 1000, 1000, oneSecond());
      Runs.closed(HTTP, pool, 16, 5); // warm-up
      double capacity = Runs.closed(HTTP, pool, 64, 15).completedPerSecond();
      double rate = load * capacity;
      System.out.printf(
          Locale.ROOT,
          "soak: %s, profile %s; capacity %.1f req/s, offering %.1f req/s (%.0f%%) for %d min,"
              + " a sample every %d s%n",
          model,
          profile,
          capacity,
          rate,
          load * 100,
          minutes,
          sampleSeconds);
      List<Sample> samples = new ArrayList<>();
      long sent = 0;
      long failed = 0;
      Map<String, Long> errors = new LinkedHashMap<>();
      long start = System.nanoTime();
      int intervals = Math.max(1, minutes * 60 / sampleSeconds);
      for (int i = 0; i < intervals; i++) {
        RunReport run =
            Runs.open(
                HTTP, Runs.entries(model, "text", 0, rate, Duration.ofSeconds(sampleSeconds)));
        sent += run.sent();
        failed += run.failed();
        run.errors().forEach((error, count) -> errors.merge(error, count, Long::sum));
        Sample sample = sample((System.nanoTime() - start) / 60e9);
        samples.add(sample);
        System.out.println(row(sample, run));
      }
      List<String> growing = Trend.growing(samples);
      System.out.printf(
          Locale.ROOT,
          "sent %d, answered 200 %d, failed %d %s%n",
          sent,
          sent - failed,
          failed,
          errors.isEmpty() ? "" : errors);
      if (failed > 0 || !growing.isEmpty()) {
        System.out.println(
            "FAIL: "
                + (failed > 0 ? failed + " requests not answered 200; " : "")
                + (growing.isEmpty() ? "" : "growing: " + growing));
        return 1;
      }
      System.out.println("PASS: no request lost, nothing grows over the last half");
      return 0;
    } finally {
      pipeline.down();
    }
  }

  private static final Pattern HEAP =
      Pattern.compile("(?m)^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*} (\\S+)$");
  private static final Pattern THREAD = Pattern.compile("(?m)^\"");
  // Tomcat's request threads: the pool grows to the peak concurrency, up to
  // server.tomcat.threads.max, so it is shown but not judged
  private static final Pattern HTTP_POOL_THREAD = Pattern.compile("(?m)^\"http-nio-\\d+-exec-");
  private static final Pattern IN_FLIGHT =
      Pattern.compile("(?m)^inference_ingress_in_flight_requests (\\S+)$");
  private static final Pattern LAG =
      Pattern.compile("(?m)^inference_worker_consumer_lag_records\\{[^}]*} (\\S+)$");

  private final HttpClient http = HttpClient.newHttpClient();

  private Sample sample(double minute) throws IOException, InterruptedException {
    Map<String, Double> values = new LinkedHashMap<>();
    for (String[] service :
        new String[][] {{"ingress", HTTP, "ingress"}, {"worker", WORKER, "worker"}}) {
      long pid =
          new PidFile(root.resolve(".pipeline/run"), service[2])
              .process()
              .orElseThrow(() -> new IOException("the " + service[2] + " does not run any more"))
              .pid();
      jcmd(pid, "GC.run");
      String metrics = metrics(service[1]);
      values.put(service[0] + " heap MB", sum(HEAP, metrics) / 1e6);
      String threads = jcmd(pid, "Thread.print");
      long all = THREAD.matcher(threads).results().count();
      long pool = HTTP_POOL_THREAD.matcher(threads).results().count();
      values.put(service[0] + " threads", (double) (all - pool));
      values.put(service[0] + " http pool", (double) pool);
      values.put(service[0] + " fds", (double) openFiles(pid));
      if (service[0].equals("ingress")) {
        values.put("ingress waiting", sum(IN_FLIGHT, metrics));
      } else {
        values.put("worker lag", sum(LAG, metrics));
      }
    }
    return new Sample(minute, values);
  }

  /** Runs {@code jcmd PID COMMAND} and returns what it printed. */
  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process process =
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
            .redirectErrorStream(true)
            .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    return out;
  }

  private static long openFiles(long pid) throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return fds.count();
    }
  }

  private String metrics(String base) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(URI.create(base + "/metrics"))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static double sum(Pattern pattern, String body) {
    double total = 0;
    var matcher = pattern.matcher(body);
    while (matcher.find()) {
      total += Double.parseDouble(matcher.group(1));
    }
    return total;
  }

  private static String row(Sample sample, RunReport run) {
    StringBuilder out =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "  min %5.1f  %6.1f req/s  p99 %6.1f ms  failed %d |",
                sample.minute(),
                run.completedPerSecond(),
                run.latencyMs().get("p99"),
                run.failed()));
    sample
        .values()
        .forEach((name, value) -> out.append(String.format(Locale.ROOT, " %s %.1f", name, value)));
    return out.toString();
  }

  private static Duration oneSecond() {
    return Duration.ofSeconds(1);
  }

  /**
   * Which series grow without bound: over the last half of the samples (at least three), the
   * least-squares slope would add more than a quarter of the series' level, plus a small floor (8
   * MB, 4 threads or descriptors, 8 requests), per hour. Tomcat's request pool is bounded by its
   * configured maximum and not judged.
   */
  static final class Trend {
    private Trend() {}

    static List<String> growing(List<Sample> samples) {
      List<String> growing = new ArrayList<>();
      List<Sample> half = samples.subList(samples.size() / 2, samples.size());
      if (half.size() < 3) {
        return growing;
      }
      for (String name : half.get(0).values().keySet()) {
        if (name.endsWith("http pool")) {
          continue;
        }
        double[] x = half.stream().mapToDouble(Sample::minute).toArray();
        double[] y = half.stream().mapToDouble(s -> s.values().get(name)).toArray();
        double perHour = slope(x, y) * 60;
        double level = java.util.Arrays.stream(y).average().orElse(0);
        double allowed = Math.abs(level) / 4 + floor(name);
        if (perHour > allowed) {
          growing.add(
              String.format(
                  Locale.ROOT, "%s (+%.1f per hour at level %.1f)", name, perHour, level));
        }
      }
      return growing;
    }

    private static double floor(String name) {
      if (name.endsWith("MB")) {
        return 8;
      }
      return name.endsWith("threads") || name.endsWith("fds") ? 4 : 8;
    }

    static double slope(double[] x, double[] y) {
      double mx = java.util.Arrays.stream(x).average().orElse(0);
      double my = java.util.Arrays.stream(y).average().orElse(0);
      double num = 0;
      double den = 0;
      for (int i = 0; i < x.length; i++) {
        num += (x[i] - mx) * (y[i] - my);
        den += (x[i] - mx) * (x[i] - mx);
      }
      return den == 0 ? 0 : num / den;
    }
  }

  public static void main(String[] args) {
    System.exit(
        new CommandLine(new SoakBenchmark()).setOverwrittenOptionsAllowed(true).execute(args));
  }
}
