package dev.inferpipe.loadgen.cli;

import dev.inferpipe.contracts.KafkaClientConfigFile;
import dev.inferpipe.loadgen.drive.Target;
import dev.inferpipe.loadgen.report.HtmlReport;
import dev.inferpipe.loadgen.report.ProgressLine;
import dev.inferpipe.loadgen.report.RunRecorder;
import dev.inferpipe.loadgen.report.RunReport;
import dev.inferpipe.loadgen.report.Summary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Where a run's report goes, and the run itself: progress while it goes, reports after. */
final class ReportOptions {
  static final JsonMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  @Option(
      names = "--report",
      description = "write BASE.json and BASE.html (default: ${DEFAULT-VALUE})",
      defaultValue = "loadgen-report")
  Path base;

  @Option(
      names = "--connections",
      description = "HTTP connections (at least the concurrency; default: ${DEFAULT-VALUE})",
      defaultValue = "64")
  int connections;

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

  int run(String targetUri, Map<String, Object> setup, Drive drive) throws Exception {
    return run(targetUri, connections, setup, drive);
  }

  int run(String targetUri, int connections, Map<String, Object> setup, Drive drive)
      throws Exception {
    try (Target target =
        Target.of(targetUri, connections, KafkaClientConfigFile.read(kafkaConfig))) {
      setup.put("target", target.describe());
      RunRecorder recorder = new RunRecorder(System.nanoTime() + 200_000_000L);
      ProgressLine progress = new ProgressLine(recorder, System.err);
      try {
        drive.run(target, recorder);
      } finally {
        progress.close();
      }
      RunReport report = recorder.report(setup);
      Path json = Path.of(base + ".json");
      Path html = Path.of(base + ".html");
      if (json.getParent() != null) {
        Files.createDirectories(json.getParent());
      }
      Files.write(json, JSON.writeValueAsBytes(report));
      Files.writeString(html, HtmlReport.of(report), StandardCharsets.UTF_8);
      System.out.print(Summary.of(report));
      System.out.println("report     " + json + ", " + html);
      return 0;
    }
  }
}
