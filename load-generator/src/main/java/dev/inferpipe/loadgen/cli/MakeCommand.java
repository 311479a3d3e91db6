package dev.inferpipe.loadgen.cli;

import dev.inferpipe.loadgen.trace.SpecFile;
import dev.inferpipe.loadgen.trace.TraceEntry;
import dev.inferpipe.loadgen.trace.TraceFile;
import dev.inferpipe.loadgen.trace.TraceMaker;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    mixinStandardHelpOptions = true,
    name = "make",
    description = "Writes a workload trace from a spec (same spec and seed: same bytes).")
final class MakeCommand implements Callable<Integer> {
  @Parameters(paramLabel = "SPEC", description = "the workload spec (YAML)")
  Path spec;

  @Option(
      names = {"-o", "--output"},
      required = true,
      description = "the trace to write (JSONL)")
  Path output;

  @Override
  public Integer call() throws Exception {
    List<TraceEntry> entries = TraceMaker.make(SpecFile.read(spec));
    TraceFile.write(entries, output);
    double seconds = entries.isEmpty() ? 0 : entries.get(entries.size() - 1).offsetMicros() / 1e6;
    System.out.printf("wrote %d requests over %.1f s to %s%n", entries.size(), seconds, output);
    return 0;
  }
}
