package dev.inferpipe.loadgen.bench;

import dev.inferpipe.loadgen.drive.OpenLoop;
import dev.inferpipe.loadgen.drive.Target;
import dev.inferpipe.loadgen.report.RunRecorder;
import dev.inferpipe.loadgen.report.RunReport;
import dev.inferpipe.loadgen.trace.SpecFile;
import dev.inferpipe.loadgen.trace.TraceEntry;
import dev.inferpipe.loadgen.trace.TraceMaker;
import dev.inferpipe.loadgen.trace.WorkloadSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Adaptive batching against the fixed profiles: the same step load, replayed open-loop against the
 * local pipeline under each fixed profile and under adaptive batching, in interleaved rounds (the
 * order reverses every round, so drift on a shared machine hits all alike). Prints one row per run
 * and one per configuration (the median over rounds).
 */
@Command(
    name = "benchmark adaptive",
    mixinStandardHelpOptions = true,
    description = "Compares adaptive batching with the fixed profiles under a step load.")
public final class AdaptiveBenchmark implements Callable<Integer> {
  @Option(
      names = "--spec",
      defaultValue = "load-generator/specs/steps-adaptive.yaml",
      description = "the step load, relative to the root (default: ${DEFAULT-VALUE})")
  Path spec;

  @Option(
      names = "--profiles",
      split = ",",
      defaultValue = "development,production,high-throughput,cost-optimized,low-latency",
      description = "the fixed profiles to compare (default: ${DEFAULT-VALUE})")
  List<String> profiles;

  @Option(
      names = "--adaptive-profile",
      defaultValue = "production",
      description = "the profile adaptive batching runs under (default: ${DEFAULT-VALUE})")
  String adaptiveProfile;

  @Option(names = "--target-p99", defaultValue = "100ms", description = "adaptive's target")
  String targetP99;

  @Option(names = "--rounds", defaultValue = "1", description = "interleaved rounds")
  int rounds;

  @Option(
      names = "--via",
      defaultValue = "kafka",
      description =
          "kafka: produce to the request topic and time each answer on the responses topic, which"
              + " measures enqueue to answer without the ingress's CPU; http: through the ingress"
              + " (default: ${DEFAULT-VALUE})")
  String via;

  @Mixin SimulatedLatency simulated;

  @Option(names = "--root", defaultValue = ".", description = "the repository root")
  Path root;

  /** One configuration of the comparison. */
  record Config(String label, String profile, List<String> workerArgs) {}

  /** One run: the load generator's report and the worker's batches during it. */
  record Result(Config config, int round, RunReport report, double meanBatch, String waits) {}

  private final String ingress = "http://127.0.0.1:" + env("INGRESS_PORT", "8080");
  private final String kafka = "kafka://127.0.0.1:" + env("KAFKA_PORT", "9092");
  private final String worker = "http://127.0.0.1:" + env("WORKER_PORT", "8081");

  @Override
  public Integer call() throws Exception {
    long start = System.nanoTime();
    WorkloadSpec workload = SpecFile.read(root.resolve(spec));
    List<TraceEntry> trace = TraceMaker.make(workload);
    List<Config> configs = configs(workload.model());
    System.out.printf(
        Locale.ROOT,
        "step load %s: %d requests over %.0f s via %s, model %s%s%n",
        spec,
        trace.size(),
        workload.length().toMillis() / 1000.0,
        via,
        workload.model(),
        workload.model().equals("simulated") ? " (" + simulated + ")" : "");
    LocalPipeline pipeline = new LocalPipeline(root);
    List<Result> results = new ArrayList<>();
    try {
      for (int round = 1; round <= rounds; round++) {
        List<Config> order = new ArrayList<>(configs);
        if (round % 2 == 0) {
          Collections.reverse(order);
        }
        for (Config config : order) {
          Result result = runOne(pipeline, workload, trace, config, round);
          results.add(result);
          System.out.println(row(config.label() + " #" + round, List.of(result)));
        }
      }
    } finally {
      pipeline.down();
    }
    System.out.println();
    System.out.println(header());
    for (Config config : configs) {
      System.out.println(
          row(config.label(), results.stream().filter(r -> r.config() == config).toList()));
    }
    System.out.printf(
        Locale.ROOT,
        "%d round(s), medians over rounds; took %.0f s%n",
        rounds,
        (System.nanoTime() - start) / 1e9);
    return 0;
  }

  private List<Config> configs(String model) {
    List<String> modelArgs = model.equals("simulated") ? simulated.workerArgs() : List.of();
    List<Config> configs = new ArrayList<>();
    for (String profile : profiles) {
      configs.add(new Config(profile, profile, modelArgs));
    }
    List<String> adaptive = new ArrayList<>(modelArgs);
    adaptive.add("--worker.batching=adaptive");
    adaptive.add("--worker.adaptive.target-p99=" + targetP99);
    configs.add(new Config("adaptive/" + adaptiveProfile, adaptiveProfile, adaptive));
    return configs;
  }

  private Result runOne(
      LocalPipeline pipeline,
      WorkloadSpec workload,
      List<TraceEntry> trace,
      Config config,
      int round)
      throws Exception {
    String prefix = "adaptive-" + round + "-" + config.label().replaceAll("[^a-z0-9]", "-");
    try {
      pipeline.up(workload.model(), config.profile(), config.workerArgs(), List.of(), prefix);
    } catch (java.io.IOException e) {
      // on a loaded machine the broker sometimes misses the start-up limit: one more try
      System.err.println(e.getMessage() + "; trying once more");
      pipeline.up(workload.model(), config.profile(), config.workerArgs(), List.of(), prefix);
    }
    open(warmUp(workload), prefix);
    WorkerGauges gauges = new WorkerGauges(worker);
    RunReport report = open(trace, prefix);
    List<WorkerGauges.Sample> samples = gauges.stop();
    double meanBatch = Double.NaN;
    String waits = "";
    if (samples.size() >= 2) {
      WorkerGauges.Sample first = samples.get(0);
      WorkerGauges.Sample last = samples.get(samples.size() - 1);
      meanBatch =
          (last.batchSizeSum() - first.batchSizeSum()) / (last.batchCount() - first.batchCount());
      double min = samples.stream().mapToDouble(WorkerGauges.Sample::waitMs).min().orElse(0);
      double max = samples.stream().mapToDouble(WorkerGauges.Sample::waitMs).max().orElse(0);
      double mean = samples.stream().mapToDouble(WorkerGauges.Sample::waitMs).average().orElse(0);
      waits = String.format(Locale.ROOT, "%.1f/%.1f/%.1f", min, mean, max);
    }
    return new Result(config, round, report, meanBatch, waits);
  }

  /** Five seconds at 50 requests/s, so that every run starts warm. */
  private static List<TraceEntry> warmUp(WorkloadSpec workload) {
    return TraceMaker.make(
        new WorkloadSpec(
            1,
            workload.model(),
            Duration.ofSeconds(5),
            0,
            workload.timeoutMs(),
            new WorkloadSpec.Arrivals(
                WorkloadSpec.ArrivalType.CONSTANT, 50, null, 0, 0, 0, 0, null),
            workload.payload()));
  }

  private RunReport open(List<TraceEntry> trace, String topicPrefix) throws Exception {
    RunRecorder recorder = new RunRecorder(System.nanoTime() + 100_000_000L);
    String uri = via.equals("http") ? ingress : kafka + "?prefix=" + topicPrefix;
    try (Target target = Target.of(uri, 256)) {
      OpenLoop.run(trace, 1, target, recorder);
    }
    return recorder.report(Map.of());
  }

  private static String header() {
    return String.format(
        Locale.ROOT,
        "%-26s %9s %9s %9s %9s %7s %7s  %s",
        "configuration",
        "answer/s",
        "p50 ms",
        "p99 ms",
        "p99.9 ms",
        "errors",
        "batch",
        "wait ms min/mean/max");
  }

  private static String row(String label, List<Result> runs) {
    return String.format(
        Locale.ROOT,
        "%-26s %9.1f %9.1f %9.1f %9.1f %7.0f %7.2f  %s",
        label,
        median(runs, r -> r.report().completedPerSecond()),
        median(runs, r -> r.report().latencyMs().get("p50")),
        median(runs, r -> r.report().latencyMs().get("p99")),
        median(runs, r -> r.report().latencyMs().get("p99.9")),
        median(runs, r -> (double) r.report().failed()),
        median(runs, Result::meanBatch),
        String.join(" ", runs.stream().map(Result::waits).toList()));
  }

  private static double median(
      List<Result> runs, java.util.function.ToDoubleFunction<Result> value) {
    double[] values = runs.stream().mapToDouble(value).sorted().toArray();
    if (values.length == 0) {
      return Double.NaN;
    }
    int mid = values.length / 2;
    return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new AdaptiveBenchmark()).execute(args));
  }
}
