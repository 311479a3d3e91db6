package dev.inferpipe.loadgen.cli;

import dev.inferpipe.loadgen.report.Comparison;
import dev.inferpipe.loadgen.report.HtmlReport;
import dev.inferpipe.loadgen.report.RunReport;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    mixinStandardHelpOptions = true,
    name = "compare",
    description =
        "Prints each figure of two runs side by side, with B/A, and writes an HTML page with"
            + " both runs' charts side by side on the same axes.")
final class CompareCommand implements Callable<Integer> {
  @Spec CommandSpec command;

  @Parameters(index = "0", paramLabel = "A.json")
  Path a;

  @Parameters(index = "1", paramLabel = "B.json")
  Path b;

  @Option(
      names = "--html",
      paramLabel = "FILE",
      defaultValue = "loadgen-compare.html",
      description = "the HTML page to write (default: ${DEFAULT-VALUE})")
  Path html;

  @Override
  public Integer call() throws Exception {
    String nameA = a.getFileName().toString();
    String nameB = b.getFileName().toString();
    RunReport runA = ReportOptions.JSON.readValue(a.toFile(), RunReport.class);
    RunReport runB = ReportOptions.JSON.readValue(b.toFile(), RunReport.class);
    Files.writeString(html, HtmlReport.compare(nameA, runA, nameB, runB), StandardCharsets.UTF_8);
    PrintWriter out = command.commandLine().getOut();
    out.print(Comparison.of(nameA, runA, nameB, runB));
    out.println("page       " + html);
    out.flush();
    return 0;
  }
}
