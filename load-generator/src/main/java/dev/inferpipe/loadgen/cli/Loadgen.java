package dev.inferpipe.loadgen.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The load generator: {@code make}, {@code replay}, {@code run}, {@code record}, {@code compare}
 * and {@code bench-self}.
 */
@Command(
    name = "loadgen",
    mixinStandardHelpOptions = true,
    subcommands = {
      MakeCommand.class,
      ReplayCommand.class,
      RunCommand.class,
      RecordCommand.class,
      CompareCommand.class,
      BenchSelfCommand.class
    },
    description = "Records workloads as traces and replays them against HTTP or Kafka.")
public final class Loadgen implements Runnable {
  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line as {@code ./loadgen} runs it: an error is one line, exit status 1. */
  public static CommandLine commandLine() {
    return new CommandLine(new Loadgen())
        .setExecutionExceptionHandler(
            (error, command, parsed) -> {
              command.getErr().println("loadgen: " + error.getMessage());
              return 1;
            });
  }
}
