package dev.inferpipe.loadgen.bench;

import dev.inferpipe.loadgen.report.RunReport;
import dev.inferpipe.loadgen.trace.TraceEntry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;

/**
 * The pipeline's speed on this machine, in one go, for the default model and for the simulated
 * accelerator (one device by default, as one GPU): (1) the model's in-process ceiling at the batch
 * size, (2) the pipeline saturated via HTTP (closed loop), (3) the same with batch size 1, (4)
 * latency at light load (open loop, 20/s), and a single-process server with in-memory batching and
 * the same runner, the baseline a user could run instead. For the simulated accelerator it also
 * saturates the pipeline straight into Kafka (loadgen's {@code kafka://} target), and finds the
 * highest rate held with p99 ≤ 50 ms. At each saturation it reads the worker's device busy ratio
 * and mean batch from its {@code /metrics}. {@code --json FILE} writes the figures as JSON.
 */
@Command(
    name = "benchmark pipeline",
    mixinStandardHelpOptions = true,
    description = "Measures the local pipeline: ceiling, saturation, batching gain, added latency.")
public final class PipelineBenchmark implements Callable<Integer> {
  @Option(
      names = "--profile",
      defaultValue = "production",
      description = "the performance profile of the runs (default: ${DEFAULT-VALUE})")
  String profile;

  @Option(
      names = "--batch-size",
      defaultValue = "64",
      description = "the profile's batch size, for the ceiling (default: ${DEFAULT-VALUE})")
  int batchSize;

  @Option(
      names = "--seconds",
      defaultValue = "15",
      description = "per measurement (default: ${DEFAULT-VALUE})")
  int seconds;

  @Mixin SimulatedLatency simulated;

  @Option(
      names = "--models",
      split = ",",
      defaultValue = "all-minilm-l6-v2,simulated",
      description = "which to measure (default: ${DEFAULT-VALUE})")
  List<String> models;

  @Option(
      names = "--kafka-callers",
      defaultValue = "256",
      description =
          "direct producers' concurrency for the kafka:// runs (default: ${DEFAULT-VALUE})")
  int kafkaCallers;

  @Option(names = "--json", description = "also write the figures to this JSON file")
  Path json;

  @Option(names = "--root", defaultValue = ".", description = "the repository root")
  Path root;

  @Option(
      names = "--baseline-root",
      description =
          "the repository whose single-process server is the baseline (default: --root); lets"
              + " an older checkout's pipeline be measured against the same baseline")
  Path baselineRoot;

  private static final String HTTP = "http://127.0.0.1:8080";
  private static final String KAFKA = "kafka://127.0.0.1:9092?prefix=bench";
  private static final String WORKER = "http://127.0.0.1:8081";

  /** One saturated run: throughput, latency, failures, and the worker's side of it. */
  record Saturation(
      double rps,
      double p50Ms,
      double p99Ms,
      long failed,
      double deviceBusy,
      double meanBatch,
      Map<String, Double> cpuMsPerRequest) {}

  @Override
  public Integer call() throws Exception {
    long start = System.nanoTime();
    LocalPipeline pipeline = new LocalPipeline(root);
    List<String> results = new ArrayList<>();
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("setup", setup());
    try {
      if (models.contains("all-minilm-l6-v2")) {
        results.add(minilm(pipeline, figures));
      }
      if (models.contains("simulated")) {
        results.add(simulated(pipeline, figures));
      }
    } finally {
      pipeline.down();
    }
    System.out.println();
    results.forEach(System.out::println);
    System.out.printf(Locale.ROOT, "benchmark took %.0f s%n", (System.nanoTime() - start) / 1e9);
    if (json != null) {
      JsonMapper.builder()
          .build()
          .writerWithDefaultPrettyPrinter()
          .writeValue(json.toFile(), figures);
      System.out.println("figures written to " + json);
    }
    return 0;
  }

  private Map<String, Object> setup() {
    Map<String, Object> setup = new LinkedHashMap<>();
    setup.put("date", java.time.LocalDate.now().toString());
    setup.put("cores", Runtime.getRuntime().availableProcessors());
    setup.put("profile", profile);
    setup.put("batch_size", batchSize);
    setup.put("seconds", seconds);
    setup.put("http_callers", batchSize * 2);
    setup.put("kafka_callers", kafkaCallers);
    setup.put("simulated", simulated.toString());
    return setup;
  }

  private String minilm(LocalPipeline pipeline, Map<String, Object> figures) throws Exception {
    String model = "all-minilm-l6-v2";
    double ceiling = modelCeiling(batchSize);
    double ownLatencyMs = modelLatencyAtBatchOne();
    return measure(pipeline, model, "text", List.of(), ceiling, ownLatencyMs, false, figures);
  }

  private String simulated(LocalPipeline pipeline, Map<String, Object> figures) throws Exception {
    double ceiling = batchSize / ((simulated.a + simulated.b * batchSize) / 1000);
    return measure(
        pipeline,
        "simulated",
        "tensor",
        simulated.workerArgs(),
        ceiling,
        simulated.a + simulated.b,
        true,
        figures);
  }

  private String measure(
      LocalPipeline pipeline,
      String model,
      String payload,
      List<String> modelArgs,
      double ceiling,
      double ownLatencyMs,
      boolean simulatedModel,
      Map<String, Object> figures)
      throws Exception {
    List<TraceEntry> pool = Runs.entries(model, payload, 1000, 1000, Duration.ofSeconds(1));
    int concurrency = batchSize * 2;

    pipeline.up(model, profile, modelArgs);
    Runs.closed(HTTP, pool, 16, 5); // warm-up
    ProcessCpu processes = ProcessCpu.ofPipeline(root);
    Saturation http = saturate(HTTP, pool, concurrency, processes);
    StageBudget budget = new StageBudget(HTTP, WORKER);
    StageBudget.Snapshot beforeLight = budget.read();
    RunReport light =
        Runs.open(HTTP, Runs.entries(model, payload, 0, 20, Duration.ofSeconds(seconds)));
    Map<String, StageBudget.Stage> stages = StageBudget.between(beforeLight, budget.read());
    RunReport lightKafka =
        simulatedModel
            ? Runs.open(KAFKA, Runs.entries(model, payload, 0, 20, Duration.ofSeconds(seconds)))
            : null;
    KafkaFloor.Hop hop = simulatedModel ? KafkaFloor.measure("127.0.0.1:9092") : null;
    String maxRate = simulatedModel ? highestRateUnder50ms(model, payload) : null;
    Saturation kafka = null;
    if (simulatedModel) {
      Runs.closed(KAFKA, pool, 16, 3);
      kafka = saturate(KAFKA, pool, kafkaCallers, processes);
    }

    pipeline.up(
        model, profile, with(modelArgs, "--worker.batch-size=1", "--worker.batch-wait=0ms"));
    Runs.closed(HTTP, pool, 16, 5);
    processes = ProcessCpu.ofPipeline(root);
    Saturation http1 = saturate(HTTP, pool, concurrency, processes);
    Saturation kafka1 = null;
    if (simulatedModel) {
      Runs.closed(KAFKA, pool, 16, 3);
      kafka1 = saturate(KAFKA, pool, kafkaCallers, processes);
    }
    Map<String, Object> ingressPath = null;
    if (simulatedModel) {
      ingressPath = ingressPath(pipeline, model, payload, modelArgs);
    }
    pipeline.down();

    Saturation single;
    try (SingleProcessBaseline baseline =
        new SingleProcessBaseline(
            baselineRoot != null ? baselineRoot : root, singleProcessOptions(model))) {
      Runs.closed(baseline.url(), pool, 16, 5);
      single = saturate(baseline.url(), pool, concurrency, baseline.cpu());
    }

    ModelResult result =
        new ModelResult(
            model,
            simulatedModel,
            ceiling,
            ownLatencyMs,
            http,
            http1,
            kafka,
            kafka1,
            single,
            light,
            lightKafka,
            hop,
            stages,
            ingressPath,
            maxRate);
    PipelineReport report =
        new PipelineReport(profile, batchSize, concurrency, kafkaCallers, simulated.toString());
    report.addFigures(result, figures);
    String text = report.text(result);
    System.out.print(text);
    return text;
  }

  /**
   * The ingress's own cost: the trivial path (an unknown model, answered 404 without Kafka) against
   * the full pipeline with a model that takes no time, and sequential requests through it.
   */
  private Map<String, Object> ingressPath(
      LocalPipeline pipeline, String model, String payload, List<String> modelArgs)
      throws Exception {
    List<TraceEntry> unknown =
        Runs.entries("no-such-model", payload, 1000, 1000, Duration.ofSeconds(1));
    RunReport trivial = Runs.closed(HTTP, unknown, 32, Math.min(seconds, 10));
    List<String> zeroTime = new ArrayList<>();
    modelArgs.stream().filter(arg -> !arg.contains("simulated-")).forEach(zeroTime::add);
    zeroTime.add("--worker.model.simulated-base-ms=0");
    zeroTime.add("--worker.model.simulated-per-item-ms=0");
    pipeline.up(model, profile, zeroTime);
    List<TraceEntry> pool = Runs.entries(model, payload, 1000, 1000, Duration.ofSeconds(1));
    Runs.closed(HTTP, pool, 16, 3);
    RunReport zero = Runs.closed(HTTP, pool, 64, Math.min(seconds, 10));
    RunReport sequential = Runs.closed(HTTP, pool, 1, Math.min(seconds, 10));
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("trivial_rps", PipelineReport.round(trivial.sentPerSecond()));
    figures.put("zero_model_rps", PipelineReport.round(zero.completedPerSecond()));
    figures.put(
        "zero_model_over_trivial",
        PipelineReport.round(zero.completedPerSecond() / trivial.sentPerSecond()));
    figures.put("sequential_p50_ms", PipelineReport.round(sequential.latencyMs().get("p50")));
    figures.put("sequential_p99_ms", PipelineReport.round(sequential.latencyMs().get("p99")));
    return figures;
  }

  /** The single-process server's options: the profile's batch wait and executors. */
  private List<String> singleProcessOptions(String model) throws IOException {
    Properties worker = new Properties();
    try (Reader in =
        Files.newBufferedReader(
            (baselineRoot != null ? baselineRoot : root)
                .resolve("k8s/overlays/" + profile + "/worker.properties"))) {
      worker.load(in);
    }
    String wait = worker.getProperty("worker.batch-wait", "0ms");
    if (!wait.endsWith("ms")) {
      throw new IllegalStateException("expected worker.batch-wait in ms, was " + wait);
    }
    List<String> options = new ArrayList<>();
    options.add("--model=" + model);
    options.add("--batch-size=" + batchSize);
    options.add("--batch-wait-ms=" + wait.substring(0, wait.length() - 2));
    options.add("--instances=" + worker.getProperty("worker.instances", "1"));
    options.add("--simulated-a-ms=" + simulated.a);
    options.add("--simulated-b-ms=" + simulated.b);
    options.add("--simulated-devices=" + simulated.devices);
    return options;
  }

  /**
   * A closed-loop run at {@code concurrency}, with the worker's counters and the processes' CPU
   * time around it.
   */
  private Saturation saturate(
      String target, List<TraceEntry> pool, int concurrency, ProcessCpu processes)
      throws Exception {
    WorkerCounters counters = new WorkerCounters(WORKER);
    boolean pipelineTarget = !target.contains(":" + SingleProcessBaseline.PORT);
    WorkerCounters.Snapshot before = pipelineTarget ? counters.read() : null;
    ProcessCpu.Snapshot cpuBefore = processes.read();
    RunReport run = Runs.closed(target, pool, concurrency, seconds);
    Map<String, Double> cpu = ProcessCpu.perRequest(cpuBefore, processes.read(), run.completed());
    WorkerCounters.Between worker =
        pipelineTarget
            ? WorkerCounters.between(before, counters.read())
            : new WorkerCounters.Between(Double.NaN, Double.NaN);
    return new Saturation(
        run.completedPerSecond(),
        run.latencyMs().get("p50"),
        run.latencyMs().get("p99"),
        run.failed(),
        worker.deviceBusy(),
        worker.meanBatch(),
        cpu);
  }

  /** Open-loop steps up the rate until p99 passes 50 ms or requests fail; returns the last good. */
  private String highestRateUnder50ms(String model, String payload) throws Exception {
    double best = 0;
    double bestP99 = 0;
    double firstP99 = 0;
    for (double rate = 25; rate <= 6400; rate *= 1.5) {
      RunReport run = Runs.open(HTTP, Runs.entries(model, payload, 0, rate, Duration.ofSeconds(6)));
      double p99 = run.latencyMs().get("p99");
      System.err.printf(
          Locale.ROOT, "  %.0f req/s: p99 %.1f ms, failed %d%n", rate, p99, run.failed());
      if (rate == 25) {
        firstP99 = p99;
      }
      if (p99 > 50 || run.failed() > 0) {
        break;
      }
      best = rate;
      bestP99 = p99;
    }
    if (best == 0) {
      return String.format(
          Locale.ROOT, "     none  (p99 was %.1f ms already at 25 req/s)", firstP99);
    }
    return String.format(
        Locale.ROOT, "%9.0f req/s  (p99 %.1f ms; rates in steps of 1.5x from 25/s)", best, bestP99);
  }

  private static List<String> with(List<String> base, String... more) {
    List<String> all = new ArrayList<>(base);
    all.addAll(List.of(more));
    return all;
  }

  /** Runs {@code ./benchmark model} and reads texts/s from its table. */
  private double modelCeiling(int batch) throws Exception {
    return modelColumn(batch, 2);
  }

  private double modelLatencyAtBatchOne() throws Exception {
    return modelColumn(1, 3);
  }

  private double modelColumn(int batch, int column) throws Exception {
    Process process =
        new ProcessBuilder(
                "./benchmark", "model", "--batch-sizes", Integer.toString(batch), "--seconds", "5")
            .directory(root.toFile())
            .redirectErrorStream(true)
            .start();
    double value = Double.NaN;
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        String[] cells = line.trim().split("\\s+");
        if (cells.length == 7 && cells[0].equals(Integer.toString(batch))) {
          value = Double.parseDouble(cells[column]);
        }
      }
    }
    if (process.waitFor() != 0 || Double.isNaN(value)) {
      throw new IllegalStateException("./benchmark model --batch-sizes " + batch + " failed");
    }
    return value;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new PipelineBenchmark()).execute(args));
  }
}
