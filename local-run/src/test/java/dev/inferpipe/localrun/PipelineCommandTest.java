package dev.inferpipe.localrun;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./pipeline}'s command line: every command and option, the environment, the errors. */
class PipelineCommandTest {
  @TempDir Path root;

  private final StringWriter err = new StringWriter();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final Map<String, String> environment = new HashMap<>();

  private int run(String... args) {
    PipelineCommand command = new PipelineCommand();
    command.environment = environment;
    command.out = new PrintStream(out, true, StandardCharsets.UTF_8);
    CommandLine line = PipelineCommand.commandLine(command);
    line.setErr(new PrintWriter(err, true));
    line.setOut(
        new PrintWriter(new java.io.OutputStreamWriter(command.out, StandardCharsets.UTF_8), true));
    String[] all = new String[args.length + 2];
    all[0] = "--root";
    all[1] = root.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return line.execute(all);
  }

  private String printed() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theHelpListsEveryCommandAndTheEnvironment() {
    assertThat(run("--help")).isZero();

    assertThat(printed())
        .contains("up", "down", "status", "logs")
        .contains("KAFKA_PORT", "KAFKA_CONTROLLER_PORT", "WORKER_PORT", "INGRESS_PORT")
        .contains("WORKER_ARGS", "INGRESS_ARGS", "AUTOSCALE_MIN", "AUTOSCALE_SCALE_DOWN_WINDOW")
        .doesNotContain("supervise");
  }

  @Test
  void upsHelpListsEveryOption() {
    assertThat(run("up", "--help")).isZero();

    for (String option :
        List.of(
            "--detach",
            "--model",
            "--profile",
            "--autoscale",
            "--min",
            "--max",
            "--lag-threshold",
            "--activation-lag-threshold",
            "--cooldown",
            "--scale-down-window")) {
      assertThat(printed()).contains(option);
    }
  }

  @Test
  void withoutACommandItPrintsTheUsageAndFails() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).contains("Usage: ./pipeline");
  }

  @Test
  void theEnvironmentAndTheOptionsMakeTheSettings() {
    environment.putAll(
        Map.of(
            "KAFKA_PORT", "19092",
            "INGRESS_PORT", "18080",
            "WORKER_ARGS", " --worker.batch-size=1   --worker.instances=2 ",
            "TOPIC_PREFIX", "bench",
            "AUTOSCALE_LAG_THRESHOLD", "32"));
    PipelineCommand command = new PipelineCommand();
    command.environment = environment;
    command.root = root;
    PipelineCommand.AutoscaleOptions autoscale = new PipelineCommand.AutoscaleOptions();
    autoscale.enabled = true;
    autoscale.max = 3;

    PipelineSettings settings =
        command.settings("simulated", "production", autoscale.settings(command));

    assertThat(settings.bootstrapServers()).isEqualTo("127.0.0.1:19092");
    assertThat(settings.ingressPort()).isEqualTo(18080);
    assertThat(settings.workerPort()).isEqualTo(8081);
    assertThat(settings.workerSettings())
        .containsExactly("--worker.batch-size=1", "--worker.instances=2");
    assertThat(settings.topicPrefix()).isEqualTo("bench");
    assertThat(settings.model()).isEqualTo(LocalModel.SIMULATED);
    assertThat(settings.profile()).contains("production");
    assertThat(settings.autoscale())
        .hasValueSatisfying(
            a -> {
              assertThat(a.lagThreshold()).isEqualTo(32);
              assertThat(a.min()).isEqualTo(1);
              assertThat(a.maxReplicas(4)).isEqualTo(3);
            });
    assertThat(settings.runDir()).isEqualTo(root.resolve(".pipeline/run"));
  }

  @Test
  void badInputIsNamed() {
    environment.put("KAFKA_PORT", "ninety");
    assertThat(run("up", "--model", "simulated")).isEqualTo(1);
    assertThat(err.toString()).contains("KAFKA_PORT needs a whole number, was 'ninety'");

    environment.clear();
    assertThat(run("up", "--model", "gpt")).isEqualTo(1);
    assertThat(err.toString())
        .contains("unknown model 'gpt': choose all-minilm-l6-v2 or simulated");

    assertThat(run("up", "--autoscale", "--lag-threshold", "0")).isEqualTo(1);
    assertThat(err.toString()).contains("--lag-threshold must be at least 1, was 0");
  }

  @Test
  void downAndStatusWithNothingRunning() {
    assertThat(run("down")).isZero();
    assertThat(run("status")).isEqualTo(1);
    assertThat(printed()).contains("kafka      stopped", "ingress    stopped");
  }

  @Test
  void logsNamesTheLogsThereAre() {
    assertThat(run("logs", "nothing")).isEqualTo(1);
    assertThat(err.toString()).contains("no log for 'nothing'");
  }
}
