package dev.inferpipe.loadgen.cli;

import dev.inferpipe.loadgen.drive.HttpOptions;
import dev.inferpipe.loadgen.drive.Target;
import dev.inferpipe.loadgen.report.HtmlReport;
import dev.inferpipe.loadgen.report.ProgressLine;
import dev.inferpipe.loadgen.report.RunRecorder;
import dev.inferpipe.loadgen.report.RunReport;
import dev.inferpipe.loadgen.report.Summary;
import dev.inferpipe.loadgen.report.Verdict;
import dev.inferpipe.settings.KafkaClientConfigFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * How a run reaches its target, where its report goes, when it fails; and the run itself: progress
 * while it goes, reports after, and an exit status of 1 (with the reason in one line) when the
 * target cannot be reached, every request failed, or more failed than {@code --fail-over} allows.
 */
final class ReportOptions {
  /** Writes reports; reads them back, also those without the figures added since (as 0). */
  static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(
      names = "--report",
      description = "write BASE.json and BASE.html (default: ${DEFAULT-VALUE})",
      defaultValue = "loadgen-report")
  Path base;

  @Option(
      names = "--connections",
      paramLabel = "N",
      description =
          "HTTP connections (default: the --concurrency of a closed loop; 64 for an open loop)")
  Integer connections;

  @Option(
      names = {"-H", "--header"},
      paramLabel = "'NAME: VALUE'",
      description =
          "an HTTP header sent with every request (Authorization, X-API-Key, tracing); repeatable")
  List<String> headers = new ArrayList<>();

  @Option(
      names = {"-k", "--insecure"},
      description = "https:// targets: accept any certificate (self-signed)")
  boolean insecure;

  @Option(
      names = "--fail-over",
      paramLabel = "RATIO",
      description =
          "exit 1 when more than this share of the requests failed, e.g. 0.01 (default: only when"
              + " all failed)")
  Double failOver;

  @Option(
      names = "--kafka-config",
      paramLabel = "FILE",
      description =
          "Kafka client settings for a kafka:// target (security.protocol, sasl.*, ssl.*):"
              + " a properties file")
  Path kafkaConfig;

  /** What a command does between the start and the report. */
  interface Drive {
    void run(Target target, RunRecorder recorder) throws Exception;
  }

  /** An open loop: {@code --connections}, or 64. */
  int run(String targetUri, Collection<String> models, Map<String, Object> setup, Drive drive)
      throws Exception {
    return run(targetUri, 64, models, setup, drive);
  }

  /**
   * A run of requests for {@code models}, with {@code defaultConnections} unless {@code
   * --connections} says otherwise.
   */
  int run(
      String targetUri,
      int defaultConnections,
      Collection<String> models,
      Map<String, Object> setup,
      Drive drive)
      throws Exception {
    if (failOver != null && !(failOver >= 0 && failOver <= 1)) {
      throw new IllegalArgumentException("--fail-over must be between 0 and 1, was " + failOver);
    }
    PrintWriter out = command.commandLine().getOut();
    PrintWriter err = command.commandLine().getErr();
    try (Target target =
        Target.of(
            targetUri,
            connections != null ? connections : defaultConnections,
            KafkaClientConfigFile.read(kafkaConfig),
            new HttpOptions(headers, insecure))) {
      try {
        target.checkReachable();
        target.prepare(models);
      } catch (IOException e) {
        err.println("loadgen: " + e.getMessage());
        return 1;
      }
      setup.put("target", target.describe());
      RunRecorder recorder = new RunRecorder(System.nanoTime() + 200_000_000L);
      ProgressLine progress = new ProgressLine(recorder, System.err);
      try {
        drive.run(target, recorder);
      } finally {
        progress.close();
      }
      RunReport report = recorder.report(setup);
      write(report);
      out.print(Summary.of(report));
      out.println("report     " + base + ".json, " + base + ".html");
      out.flush();
      Optional<String> failure = Verdict.failure(report, failOver);
      failure.ifPresent(reason -> err.println("loadgen: " + reason));
      return failure.isPresent() ? 1 : 0;
    }
  }

  private void write(RunReport report) throws IOException {
    Path json = Path.of(base + ".json");
    Path html = Path.of(base + ".html");
    if (json.toAbsolutePath().getParent() != null) {
      Files.createDirectories(json.toAbsolutePath().getParent());
    }
    Files.write(json, JSON.writeValueAsBytes(report));
    Files.writeString(html, HtmlReport.of(report), StandardCharsets.UTF_8);
  }
}
