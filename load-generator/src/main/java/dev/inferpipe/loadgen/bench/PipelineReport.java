package dev.inferpipe.loadgen.bench;

import dev.inferpipe.loadgen.report.RunReport;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code ./benchmark pipeline} prints for one model, and the figures {@code --json} writes.
 */
final class PipelineReport {
  private final String profile;
  private final int batchSize;
  private final int concurrency;
  private final int kafkaCallers;
  private final String simulated;

  PipelineReport(
      String profile, int batchSize, int concurrency, int kafkaCallers, String simulated) {
    this.profile = profile;
    this.batchSize = batchSize;
    this.concurrency = concurrency;
    this.kafkaCallers = kafkaCallers;
    this.simulated = simulated;
  }

  /** Adds the model's figures under its key, and the pipeline-wide ones for the simulated model. */
  void addFigures(ModelResult r, Map<String, Object> figures) {
    String key = r.simulatedModel() ? "simulated" : "minilm";
    Map<String, Object> byPath = new LinkedHashMap<>();
    byPath.put("http", figures(r.ceiling(), r.http(), r.http1(), r.single()));
    if (r.simulatedModel()) {
      byPath.put("kafka", figures(r.ceiling(), r.kafka(), r.kafka1(), null));
    }
    figures.put(key, byPath);
    if (r.simulatedModel()) {
      Map<String, Object> httpFigures = new LinkedHashMap<>(r.ingressPath());
      httpFigures.put("one_device_rps", round(r.http().rps()));
      figures.put("http", httpFigures);
      figures.put(
          "latency",
          latencyFigures(r.light(), r.lightKafka(), r.ownLatencyMs(), r.hop(), r.stages()));
      r.http()
          .cpuMsPerRequest()
          .forEach((process, ms) -> figures.put(process, Map.of("cpu_ms_per_request", round(ms))));
    }
  }

  /** The model's table. */
  String text(ModelResult r) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "== %s (profile %s, batch size %d; %d HTTP callers%s) ==%n",
            r.model(),
            profile,
            batchSize,
            concurrency,
            r.simulatedModel() ? ", " + kafkaCallers + " Kafka callers; " + simulated : ""));
    out.append(
        String.format(
            Locale.ROOT,
            "(1) model ceiling in-process at batch %d   %9.1f req/s%s%n",
            batchSize,
            r.ceiling(),
            r.simulatedModel() ? "  (n / (a + b·n) on one device: computed)" : ""));
    out.append(
        String.format(
            Locale.ROOT,
            "%-42s %9s %8s %8s %6s %6s %7s%n",
            "",
            "req/s",
            "p50 ms",
            "p99 ms",
            "failed",
            "busy",
            "batch"));
    row(out, "(2) via HTTP, saturated, batch " + batchSize, r.http());
    row(out, "(3) via HTTP, saturated, batch 1", r.http1());
    if (r.simulatedModel()) {
      row(out, "(2k) into Kafka, saturated, batch " + batchSize, r.kafka());
      row(out, "(3k) into Kafka, saturated, batch 1", r.kafka1());
    }
    row(out, "(5) single process, in-memory batching", r.single());
    out.append("    CPU ms per request at saturation:\n");
    cpuRow(out, "(2) via HTTP, batch " + batchSize, r.http());
    if (r.simulatedModel()) {
      cpuRow(out, "(2k) into Kafka, batch " + batchSize, r.kafka());
    }
    cpuRow(out, "(5) single process", r.single());
    out.append(
        String.format(
            Locale.ROOT,
            "(4) light load, 20 req/s open loop         p50 %.1f ms  p99 %.1f ms  (model alone,"
                + " batch 1: %.1f ms)%n",
            r.light().latencyMs().get("p50"),
            r.light().latencyMs().get("p99"),
            r.ownLatencyMs()));
    out.append(
        String.format(
            Locale.ROOT,
            "    batching gain (2)/(3)                  %9.2f x%s%n",
            r.http().rps() / r.http1().rps(),
            r.simulatedModel()
                ? String.format(
                    Locale.ROOT,
                    "   into Kafka (2k)/(3k) %.2f x",
                    r.kafka().rps() / r.kafka1().rps())
                : ""));
    out.append(
        String.format(
            Locale.ROOT,
            "    pipeline efficiency (2)/(1)            %9.2f%s%n",
            r.http().rps() / r.ceiling(),
            r.simulatedModel()
                ? String.format(
                    Locale.ROOT, "   into Kafka (2k)/(1) %.2f", r.kafka().rps() / r.ceiling())
                : ""));
    out.append(
        String.format(
            Locale.ROOT,
            "    via HTTP / single process (2)/(5)      %9.2f%n",
            r.http().rps() / r.single().rps()));
    out.append(
        String.format(
            Locale.ROOT,
            "    latency added at light load            p50 %.1f ms  p99 %.1f ms%n",
            r.light().latencyMs().get("p50") - r.ownLatencyMs(),
            r.light().latencyMs().get("p99") - r.ownLatencyMs()));
    if (r.maxRate() != null) {
      out.append("    highest rate with p99 <= 50 ms         ").append(r.maxRate()).append('\n');
    }
    out.append("    latency budget at light load, p50 / p99 ms (requests):\n");
    r.stages()
        .forEach(
            (stage, s) ->
                out.append(
                    String.format(
                        Locale.ROOT,
                        "      %-24s %8.2f / %8.2f  (%d)%n",
                        stage,
                        s.p50Ms(),
                        s.p99Ms(),
                        s.count())));
    if (r.hop() != null) {
      double addedP50 = r.light().latencyMs().get("p50") - r.ownLatencyMs();
      double addedP99 = r.light().latencyMs().get("p99") - r.ownLatencyMs();
      out.append(
          String.format(
              Locale.ROOT,
              "    Kafka's own hop (EndToEndLatency)      p50 %.1f ms  p99 %.1f ms  mean %.2f ms%n"
                  + "    added latency / two hops, via HTTP     p50 %.1f  p99 %.1f%n"
                  + "    light load into Kafka (20 req/s)       p50 %.1f ms  p99 %.1f ms  (added"
                  + " / two hops: p50 %.1f, p99 %.1f)%n",
              r.hop().p50Ms(),
              r.hop().p99Ms(),
              r.hop().meanMs(),
              addedP50 / (2 * Math.max(r.hop().p50Ms(), 0.001)),
              addedP99 / (2 * Math.max(r.hop().p99Ms(), 0.001)),
              r.lightKafka().latencyMs().get("p50"),
              r.lightKafka().latencyMs().get("p99"),
              (r.lightKafka().latencyMs().get("p50") - r.ownLatencyMs())
                  / (2 * Math.max(r.hop().p50Ms(), 0.001)),
              (r.lightKafka().latencyMs().get("p99") - r.ownLatencyMs())
                  / (2 * Math.max(r.hop().p99Ms(), 0.001))));
      r.ingressPath()
          .forEach(
              (name, value) ->
                  out.append(String.format(Locale.ROOT, "    %-38s %s%n", name, value)));
    }
    return out.toString();
  }

  private static Map<String, Object> latencyFigures(
      RunReport light,
      RunReport lightKafka,
      double ownLatencyMs,
      KafkaFloor.Hop hop,
      Map<String, StageBudget.Stage> stages) {
    Map<String, Object> latency = new LinkedHashMap<>();
    latency.put("kafka_one_hop_p50_ms", round(hop.p50Ms()));
    latency.put("kafka_one_hop_p99_ms", round(hop.p99Ms()));
    latency.put("kafka_one_hop_mean_ms", round(hop.meanMs()));
    latency.put("added_p50_ms", round(light.latencyMs().get("p50") - ownLatencyMs));
    latency.put("added_p99_ms", round(light.latencyMs().get("p99") - ownLatencyMs));
    latency.put("kafka_path_added_p50_ms", round(lightKafka.latencyMs().get("p50") - ownLatencyMs));
    latency.put("kafka_path_added_p99_ms", round(lightKafka.latencyMs().get("p99") - ownLatencyMs));
    Map<String, Object> byStage = new LinkedHashMap<>();
    stages.forEach(
        (stage, s) ->
            byStage.put(
                stage.replace(' ', '.'),
                Map.of("p50_ms", round(s.p50Ms()), "p99_ms", round(s.p99Ms()))));
    latency.put("stages", byStage);
    return latency;
  }

  private static Map<String, Object> figures(
      double ceiling,
      PipelineBenchmark.Saturation saturated,
      PipelineBenchmark.Saturation batch1,
      PipelineBenchmark.Saturation single) {
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("ceiling_rps", round(ceiling));
    figures.put("saturated_rps", round(saturated.rps()));
    figures.put("batch1_rps", round(batch1.rps()));
    figures.put("batching_gain", round(saturated.rps() / batch1.rps()));
    figures.put("device_busy", round(saturated.deviceBusy()));
    figures.put("mean_batch", round(saturated.meanBatch()));
    figures.put("saturated_p50_ms", round(saturated.p50Ms()));
    figures.put("saturated_p99_ms", round(saturated.p99Ms()));
    figures.put("failed", saturated.failed() + batch1.failed());
    Map<String, Object> cpu = new LinkedHashMap<>();
    saturated.cpuMsPerRequest().forEach((process, ms) -> cpu.put(process, round(ms)));
    figures.put("cpu_ms_per_request", cpu);
    if (single != null) {
      figures.put("single_process_rps", round(single.rps()));
      figures.put("ratio_to_single_process", round(saturated.rps() / single.rps()));
    }
    return figures;
  }

  static double round(double value) {
    return Double.isFinite(value) ? Math.round(value * 1000) / 1000.0 : -1;
  }

  private static void cpuRow(StringBuilder out, String label, PipelineBenchmark.Saturation s) {
    StringBuilder cells = new StringBuilder();
    double total = 0;
    for (Map.Entry<String, Double> process : s.cpuMsPerRequest().entrySet()) {
      cells.append(String.format(Locale.ROOT, "  %s %.2f", process.getKey(), process.getValue()));
      total += process.getValue();
    }
    out.append(String.format(Locale.ROOT, "      %-36s total %.2f:%s%n", label, total, cells));
  }

  private static void row(StringBuilder out, String label, PipelineBenchmark.Saturation s) {
    out.append(
        String.format(
            Locale.ROOT,
            "%-42s %9.1f %8.1f %8.1f %6d %6s %7s%n",
            label,
            s.rps(),
            s.p50Ms(),
            s.p99Ms(),
            s.failed(),
            Double.isNaN(s.deviceBusy()) ? "-" : String.format(Locale.ROOT, "%.2f", s.deviceBusy()),
            Double.isNaN(s.meanBatch()) ? "-" : String.format(Locale.ROOT, "%.1f", s.meanBatch())));
  }
}
