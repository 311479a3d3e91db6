package dev.inferpipe.loadgen.bench;

import dev.inferpipe.loadgen.report.RunReport;
import java.util.Map;

/**
 * Everything {@code ./benchmark pipeline} measured for one model; the Kafka runs, the hop, the
 * ingress path and the highest rate are null for MiniLM, which runs only via HTTP.
 */
record ModelResult(
    String model,
    boolean simulatedModel,
    double ceiling,
    double ownLatencyMs,
    PipelineBenchmark.Saturation http,
    PipelineBenchmark.Saturation http1,
    PipelineBenchmark.Saturation kafka,
    PipelineBenchmark.Saturation kafka1,
    PipelineBenchmark.Saturation single,
    RunReport light,
    RunReport lightKafka,
    KafkaFloor.Hop hop,
    Map<String, StageBudget.Stage> stages,
    Map<String, Object> ingressPath,
    String maxRate) {}
