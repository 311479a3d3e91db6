package dev.inferpipe.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --help} on every command and subcommand prints the help and exits 0. */
class HelpTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @ParameterizedTest
  @ValueSource(strings = {"", "make", "replay", "run", "compare", "record", "bench-self"})
  void loadgenCommands(String command) {
    List<String> args = new ArrayList<>();
    if (!command.isEmpty()) {
      args.add(command);
    }
    args.add("--help");
    Cli cli = Cli.run(args.toArray(String[]::new));

    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(cli.out()).contains("Usage: loadgen " + command);
    assertThat(cli.err()).isEmpty();
  }

  /** The scripts answer by themselves: no build, no broker, nothing started. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "pipeline --help",
        "pipeline -h",
        "pipeline up --help",
        "pipeline down --help",
        "pipeline status --help",
        "pipeline logs --help",
        "benchmark --help",
        "benchmark model --help",
        "benchmark pipeline --help",
        "benchmark adaptive --help",
        "benchmark latency --help",
        "benchmark soak --help",
        "benchmark loadgen --help",
        "profile --help",
        "profile help",
        "profile apply --help",
        "profile validate --help",
        "profile check --help"
      })
  void scripts(String commandLine) throws Exception {
    List<String> command = new ArrayList<>(List.of(commandLine.split(" ")));
    String output = script(command);

    assertThat(exitCode).as(output).isZero();
    assertThat(output).contains("./" + command.get(0));
    assertThat(output).doesNotContainIgnoringCase("building");
  }

  /** A command a script does not know gets the usage and exit status 2, before any build. */
  @ParameterizedTest
  @ValueSource(strings = {"pipeline nonsense", "benchmark nonsense", "profile nonsense", "profile"})
  void scriptsRefuseWhatTheyDoNotKnowWithoutBuilding(String commandLine) throws Exception {
    List<String> command = new ArrayList<>(List.of(commandLine.split(" ")));
    String output = script(command);

    assertThat(exitCode).as(output).isEqualTo(2);
    assertThat(output).contains("./" + command.get(0));
    assertThat(output).doesNotContainIgnoringCase("building");
  }

  private int exitCode;

  /** Runs {@code ./SCRIPT ARGS...} in the repository's root; its output, and its exit code. */
  private String script(List<String> commandLine) throws Exception {
    List<String> command = new ArrayList<>(commandLine);
    command.set(0, ROOT.resolve(command.get(0)).toString());
    Process process =
        new ProcessBuilder(command)
            .directory(ROOT.toFile())
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    exitCode = process.exitValue();
    return output;
  }
}
