package dev.inferpipe.loadgen.cli;

import dev.inferpipe.loadgen.report.Comparison;
import dev.inferpipe.loadgen.report.RunReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    mixinStandardHelpOptions = true,
    name = "compare",
    description = "Prints each figure of two runs side by side, with B/A.")
final class CompareCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "A.json")
  Path a;

  @Parameters(index = "1", paramLabel = "B.json")
  Path b;

  @Override
  public Integer call() throws Exception {
    System.out.print(
        Comparison.of(
            a.getFileName().toString(),
            ReportOptions.JSON.readValue(a.toFile(), RunReport.class),
            b.getFileName().toString(),
            ReportOptions.JSON.readValue(b.toFile(), RunReport.class)));
    return 0;
  }
}
