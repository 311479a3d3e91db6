package dev.inferpipe.loadgen.cli;

import dev.inferpipe.loadgen.drive.ClosedLoop;
import dev.inferpipe.loadgen.drive.OpenLoop;
import dev.inferpipe.loadgen.trace.Durations;
import dev.inferpipe.loadgen.trace.TraceEntry;
import dev.inferpipe.loadgen.trace.TraceMaker;
import dev.inferpipe.loadgen.trace.WorkloadSpec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    mixinStandardHelpOptions = true,
    name = "run",
    description =
        "Runs without a trace: closed loop at a fixed concurrency, or open loop at a fixed rate,"
            + " for a duration or a count.")
final class RunCommand implements Callable<Integer> {
  @Option(
      names = "--target",
      required = true,
      description = "http[s]://HOST[:PORT][/PATH] or kafka://BOOTSTRAP[?prefix=P]")
  String target;

  static final class Mode {
    @Option(names = "--concurrency", description = "closed loop with this many callers")
    Integer concurrency;

    @Option(names = "--rate", description = "open loop at this many requests per second")
    Double rate;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Mode mode;

  @Option(
      names = "--poisson",
      description = "with --rate: random (Poisson) gaps instead of even ones")
  boolean poisson;

  @Option(
      names = "--duration",
      description = "how long, e.g. 30s or PT1M (default: ${DEFAULT-VALUE})",
      defaultValue = "30s")
  String duration;

  @Option(
      names = "--count",
      description = "stop after this many requests (0: no limit)",
      defaultValue = "0")
  long count;

  @Option(
      names = "--model",
      defaultValue = "all-minilm-l6-v2",
      description = "(default: ${DEFAULT-VALUE})")
  String model;

  @Option(
      names = "--payload",
      defaultValue = "text",
      description = "text (input 'text', for embedding models) or tensor (FP32 'input' [1,4])")
  String payload;

  @Option(
      names = "--words",
      defaultValue = "8-16",
      description = "words per text, MIN-MAX (default: ${DEFAULT-VALUE})")
  String words;

  @Option(
      names = "--texts",
      defaultValue = "1",
      description = "texts per request (default: ${DEFAULT-VALUE})")
  int texts;

  @Option(names = "--timeout-ms", defaultValue = "10000", description = "each request's deadline")
  long timeoutMs;

  @Option(names = "--seed", defaultValue = "1")
  long seed;

  @Mixin ReportOptions report;

  @Override
  public Integer call() throws Exception {
    Duration length = Durations.parse(duration);
    String[] range = words.split("-");
    WorkloadSpec.Payload body =
        new WorkloadSpec.Payload(
            WorkloadSpec.PayloadKind.valueOf(payload.toUpperCase(java.util.Locale.ROOT)),
            new WorkloadSpec.Range(texts, texts),
            new WorkloadSpec.WordLengths(
                null, Integer.parseInt(range[0]), Integer.parseInt(range[range.length - 1]), 0, 0),
            null);
    Map<String, Object> setup = new LinkedHashMap<>();
    setup.put("model", model);
    if (mode.rate != null) {
      WorkloadSpec spec =
          new WorkloadSpec(
              seed,
              model,
              length,
              count,
              timeoutMs,
              new WorkloadSpec.Arrivals(
                  poisson ? WorkloadSpec.ArrivalType.POISSON : WorkloadSpec.ArrivalType.CONSTANT,
                  mode.rate,
                  null,
                  0,
                  0,
                  0,
                  0,
                  null),
              body);
      List<TraceEntry> entries = TraceMaker.make(spec);
      setup.put("mode", "open loop");
      setup.put("rate", mode.rate);
      setup.put("duration", length.toString());
      return report.run(
          target, Set.of(model), setup, (to, recorder) -> OpenLoop.run(entries, 1, to, recorder));
    }
    WorkloadSpec pool =
        new WorkloadSpec(
            seed,
            model,
            null,
            1000,
            timeoutMs,
            new WorkloadSpec.Arrivals(
                WorkloadSpec.ArrivalType.CONSTANT, 1000, null, 0, 0, 0, 0, null),
            body);
    List<TraceEntry> entries = TraceMaker.make(pool);
    setup.put("mode", "closed loop");
    setup.put("concurrency", mode.concurrency);
    if (count > 0) {
      setup.put("count", count);
    } else {
      setup.put("duration", length.toString());
    }
    Duration limit = count > 0 ? null : length;
    return report.run(
        target,
        mode.concurrency,
        Set.of(model),
        setup,
        (to, recorder) -> ClosedLoop.run(entries, mode.concurrency, limit, count, to, recorder));
  }
}
