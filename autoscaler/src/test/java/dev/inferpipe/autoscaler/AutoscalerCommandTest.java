package dev.inferpipe.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class AutoscalerCommandTest {
  private static AutoscalerCommand parse(String min) {
    AutoscalerCommand command = new AutoscalerCommand();
    new CommandLine(command)
        .parseArgs(
            "--bootstrap-servers=localhost:9092",
            "--model=sim",
            "--min=" + min,
            "--",
            "java",
            "-jar",
            "worker.jar");
    return command;
  }

  @Test
  void workersThatMayScaleToZeroAreToldSoTheIngressQueuesTheirRequests() {
    assertThat(parse("0").workerCommand())
        .containsExactly("java", "-jar", "worker.jar", "--worker.scales-from-zero=true");
    assertThat(parse("1").workerCommand()).containsExactly("java", "-jar", "worker.jar");
  }
}
