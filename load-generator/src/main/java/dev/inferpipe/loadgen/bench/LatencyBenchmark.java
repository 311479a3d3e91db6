package dev.inferpipe.loadgen.bench;

import dev.inferpipe.loadgen.report.RunReport;
import dev.inferpipe.loadgen.trace.TraceEntry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The latency budget alone, in about three minutes: the simulated accelerator at light load via
 * HTTP with each stage's p50 and p99, Kafka's own hop on the same broker, sequential requests to a
 * model that takes no time, and the CPU each process spends per request at saturation. Extra worker
 * and ingress settings make it the bench for one setting at a time, e.g. {@code
 * --ingress-arg=--spring.kafka.producer.properties.linger.ms=0}.
 */
@Command(
    name = "benchmark latency",
    mixinStandardHelpOptions = true,
    description = "Measures what the pipeline adds to Kafka's two hops, stage by stage.")
public final class LatencyBenchmark implements Callable<Integer> {
  private static final String HTTP = "http://127.0.0.1:8080";
  private static final String WORKER = "http://127.0.0.1:8081";
  private static final String MODEL = "simulated";

  @Option(
      names = "--profile",
      defaultValue = "production",
      description = "the performance profile (default: ${DEFAULT-VALUE})")
  String profile;

  @Option(
      names = "--seconds",
      defaultValue = "20",
      description = "per measurement (default: ${DEFAULT-VALUE})")
  int seconds;

  @Option(
      names = "--rate",
      defaultValue = "20",
      description = "the light load, requests per second (default: ${DEFAULT-VALUE})")
  double rate;

  @Option(
      names = "--connections",
      defaultValue = "128",
      description = "HTTP callers at saturation; 0 skips it (default: ${DEFAULT-VALUE})")
  int connections;

  @Option(names = "--worker-arg", description = "a setting added to the worker's command line")
  List<String> workerArgs = new ArrayList<>();

  @Option(names = "--ingress-arg", description = "a setting added to the ingress's command line")
  List<String> ingressArgs = new ArrayList<>();

  @Option(names = "--root", defaultValue = ".", description = "the repository root")
  Path root;

  @Mixin SimulatedLatency simulated;

  @Override
  public Integer call() throws Exception {
    System.out.printf(
        Locale.ROOT,
        "profile %s; %s; light load %.0f req/s for %d s; worker %s; ingress %s%n",
        profile,
        simulated,
        rate,
        seconds,
        workerArgs,
        ingressArgs);
    LocalPipeline pipeline = new LocalPipeline(root);
    try {
      List<String> worker = new ArrayList<>(simulated.workerArgs());
      worker.addAll(workerArgs);
      pipeline.up(MODEL, profile, worker, ingressArgs, "bench");
      List<TraceEntry> pool = Runs.entries(MODEL, "tensor", 1000, 1000, oneSecond());
      Runs.closed(HTTP, pool, 16, 5); // warm-up
      StageBudget budget = new StageBudget(HTTP, WORKER);
      StageBudget.Snapshot before = budget.read();
      RunReport light = Runs.open(HTTP, lightLoad());
      Map<String, StageBudget.Stage> stages = StageBudget.between(before, budget.read());
      KafkaFloor.Hop hop = KafkaFloor.measure("127.0.0.1:9092");
      String cpu = connections > 0 ? saturatedCpu(pool) : "";

      List<String> zeroTime = new ArrayList<>();
      zeroTime.add("--worker.model.simulated-base-ms=0");
      zeroTime.add("--worker.model.simulated-per-item-ms=0");
      zeroTime.addAll(workerArgs);
      pipeline.up(MODEL, profile, zeroTime, ingressArgs, "bench");
      Runs.closed(HTTP, pool, 16, 3);
      RunReport sequential = Runs.closed(HTTP, pool, 1, Math.min(seconds, 10));

      double own = simulated.a + simulated.b;
      double addedP50 = light.latencyMs().get("p50") - own;
      double addedP99 = light.latencyMs().get("p99") - own;
      System.out.printf(
          Locale.ROOT,
          "%nlatency added at %.0f req/s (end to end - model)   p50 %.2f ms  p99 %.2f ms  (%d"
              + " answered, %d failed)%n",
          rate,
          addedP50,
          addedP99,
          light.completed(),
          light.failed());
      System.out.printf(
          Locale.ROOT,
          "Kafka's own hop (EndToEndLatency)                 p50 %.2f ms  p99 %.2f ms  mean %.2f"
              + " ms%n",
          hop.p50Ms(),
          hop.p99Ms(),
          hop.meanMs());
      System.out.printf(
          Locale.ROOT,
          "target: added p50 <= 2 x hop p50 + 1 = %.2f ms; p99 <= 2 x hop p99 = %.2f ms%n",
          2 * hop.p50Ms() + 1,
          2 * hop.p99Ms());
      System.out.printf(
          Locale.ROOT,
          "sequential requests, zero-time model              p50 %.2f ms  p99 %.2f ms%n",
          sequential.latencyMs().get("p50"),
          sequential.latencyMs().get("p99"));
      System.out.println("stages at light load, p50 / p99 ms (requests):");
      stages.forEach(
          (stage, s) ->
              System.out.printf(
                  Locale.ROOT,
                  "  %-24s %8.2f / %8.2f  (%d)%n",
                  stage,
                  s.p50Ms(),
                  s.p99Ms(),
                  s.count()));
      System.out.print(cpu);
    } finally {
      pipeline.down();
    }
    return 0;
  }

  private List<TraceEntry> lightLoad() {
    return Runs.entries(MODEL, "tensor", 0, rate, Duration.ofSeconds(seconds));
  }

  /** A closed-loop run at {@code connections}, and each process's CPU per request over it. */
  private String saturatedCpu(List<TraceEntry> pool) throws Exception {
    ProcessCpu processes = ProcessCpu.ofPipeline(root);
    ProcessCpu.Snapshot before = processes.read();
    RunReport run = Runs.closed(HTTP, pool, connections, seconds);
    Map<String, Double> cpu = ProcessCpu.perRequest(before, processes.read(), run.completed());
    StringBuilder out =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "saturated via HTTP, %d callers: %.0f req/s, p50 %.1f ms, p99 %.1f ms; CPU ms per"
                    + " request:",
                connections,
                run.completedPerSecond(),
                run.latencyMs().get("p50"),
                run.latencyMs().get("p99")));
    cpu.forEach((process, ms) -> out.append(String.format(Locale.ROOT, " %s %.3f", process, ms)));
    double path =
        cpu.entrySet().stream()
            .filter(e -> !e.getKey().equals("loadgen"))
            .mapToDouble(Map.Entry::getValue)
            .sum();
    return out.append(String.format(Locale.ROOT, "; ingress+broker+worker %.3f%n", path))
        .toString();
  }

  private static Duration oneSecond() {
    return Duration.ofSeconds(1);
  }

  public static void main(String[] args) {
    // ./benchmark passes --root first; one given on the command line wins
    System.exit(
        new CommandLine(new LatencyBenchmark()).setOverwrittenOptionsAllowed(true).execute(args));
  }
}
