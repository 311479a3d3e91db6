package dev.inferpipe.loadgen.cli;

import dev.inferpipe.loadgen.drive.OpenLoop;
import dev.inferpipe.loadgen.trace.TraceEntry;
import dev.inferpipe.loadgen.trace.TraceFile;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    mixinStandardHelpOptions = true,
    name = "replay",
    description = "Replays a trace open-loop: each request at its time, never waiting for replies.")
final class ReplayCommand implements Callable<Integer> {
  @Parameters(paramLabel = "TRACE", description = "the trace (JSONL) to replay")
  Path trace;

  @Option(
      names = "--target",
      required = true,
      description =
          "http[s]://HOST[:PORT][/PATH] (the ingress) or kafka://BOOTSTRAP[?prefix=P] (direct)")
  String target;

  @Option(
      names = "--speed",
      defaultValue = "1",
      description = "time scale: 2 sends twice as fast (default: ${DEFAULT-VALUE})")
  double speed;

  @Mixin ReportOptions report;

  @Override
  public Integer call() throws Exception {
    List<TraceEntry> entries = TraceFile.read(trace);
    Map<String, Object> setup = new LinkedHashMap<>();
    setup.put("mode", "open-loop replay");
    setup.put("trace", trace.toString());
    setup.put("requests", entries.size());
    setup.put("speed", speed);
    Set<String> models = new TreeSet<>();
    entries.forEach(entry -> models.add(entry.model()));
    return report.run(
        target, models, setup, (to, recorder) -> OpenLoop.run(entries, speed, to, recorder));
  }
}
