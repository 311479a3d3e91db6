package dev.inferpipe.localrun;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ./pipeline}: runs the whole pipeline on this machine. */
@Command(
    name = "./pipeline",
    mixinStandardHelpOptions = true,
    version = "inferpipe " + ServiceLauncher.VERSION,
    description = {
      "Runs the whole pipeline on this machine: a real Kafka broker (KRaft), one inference worker"
          + " and one ingress. Needs only a JDK 17+; builds what is missing with the Maven"
          + " wrapper."
    },
    subcommands = {
      PipelineCommand.Up.class,
      PipelineCommand.Down.class,
      PipelineCommand.Status.class,
      LogsCommand.class,
      SuperviseCommand.class
    },
    footer = {
      "",
      "Environment:",
      "  KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), INGRESS_PORT (8080),",
      "  WORKER_PORT (8081; autoscaled replica N uses WORKER_PORT+N): the ports",
      "  WORKER_ARGS adds settings to the worker's command line",
      "    (e.g. WORKER_ARGS=\"--worker.batch-size=1\"), INGRESS_ARGS to the ingress's",
      "  TOPIC_PREFIX (inference), REQUEST_PARTITIONS (4), REPLY_PARTITIONS (4)",
      "  MODEL, AUTOSCALE_MIN, AUTOSCALE_MAX, AUTOSCALE_LAG_THRESHOLD,",
      "    AUTOSCALE_ACTIVATION_LAG_THRESHOLD, AUTOSCALE_COOLDOWN,",
      "    AUTOSCALE_SCALE_DOWN_WINDOW: the defaults of up's options;",
      "    AUTOSCALE_TICK_MS (1000): how often the autoscaler reads the lag",
      "",
      "State, logs and Kafka's data live in .pipeline/; model weights in",
      "~/.cache/inferpipe."
    })
public final class PipelineCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--root",
      hidden = true,
      description = "the repository root (the launcher sets it)",
      defaultValue = ".")
  Path root;

  PrintStream out = System.out;

  /** The environment variables; a test replaces them. */
  Map<String, String> environment = System.getenv();

  /** Without a command: the usage, and exit status 2. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  public static void main(String[] args) {
    System.exit(commandLine(new PipelineCommand()).execute(args));
  }

  static CommandLine commandLine(PipelineCommand command) {
    return new CommandLine(command)
        .setExecutionExceptionHandler(
            (error, cmd, parsed) -> {
              cmd.getErr()
                  .println(
                      "pipeline: "
                          + (error instanceof IllegalArgumentException
                                  || error instanceof LocalPipeline.StartFailed
                                  || error instanceof IllegalStateException
                              ? error.getMessage()
                              : error.toString()));
              return 1;
            });
  }

  Path logs() {
    return root.resolve(".pipeline/logs");
  }

  Path runDir() {
    return root.resolve(".pipeline/run");
  }

  String env(String name, String fallback) {
    String value = environment.get(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  int envInt(String name, int fallback) {
    String value = env(name, Integer.toString(fallback));
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " needs a whole number, was '" + value + "'");
    }
  }

  /** {@code --autoscale} and its settings, shared by {@code up} and {@code supervise}. */
  static final class AutoscaleOptions {
    @Option(
        names = "--autoscale",
        description =
            "run 1 worker process per replica, scaled on the consumer lag with KEDA's formula"
                + " (timeline: .pipeline/logs/autoscaler.csv)")
    boolean enabled;

    @Option(names = "--min", paramLabel = "N", description = "the fewest replicas (default 1)")
    Integer min;

    @Option(
        names = "--max",
        paramLabel = "N",
        description = "the most replicas (default: one per request partition)")
    Integer max;

    @Option(
        names = "--lag-threshold",
        paramLabel = "N",
        description = "target lag per replica (default 64)")
    Long lagThreshold;

    @Option(
        names = "--activation-lag-threshold",
        paramLabel = "N",
        description = "lag above which 0 replicas become 1 (default 0)")
    Long activationLagThreshold;

    @Option(
        names = "--cooldown",
        paramLabel = "S",
        description = "seconds without lag before scaling to 0 (default 30)")
    Long cooldown;

    @Option(
        names = "--scale-down-window",
        paramLabel = "S",
        description = "the scale-down stabilization window in seconds (default 30)")
    Long scaleDownWindow;

    Optional<PipelineSettings.Autoscale> settings(PipelineCommand parent) {
      if (!enabled) {
        return Optional.empty();
      }
      PipelineSettings.Autoscale autoscale =
          new PipelineSettings.Autoscale(
              count("--min", min, parent.envInt("AUTOSCALE_MIN", 1)),
              count("--max", max, parent.envInt("AUTOSCALE_MAX", 0)),
              count("--lag-threshold", lagThreshold, parent.envInt("AUTOSCALE_LAG_THRESHOLD", 64)),
              count(
                  "--activation-lag-threshold",
                  activationLagThreshold,
                  parent.envInt("AUTOSCALE_ACTIVATION_LAG_THRESHOLD", 0)),
              count("--cooldown", cooldown, parent.envInt("AUTOSCALE_COOLDOWN", 30)),
              count(
                  "--scale-down-window",
                  scaleDownWindow,
                  parent.envInt("AUTOSCALE_SCALE_DOWN_WINDOW", 30)),
              count("AUTOSCALE_TICK_MS", null, parent.envInt("AUTOSCALE_TICK_MS", 1000)));
      if (autoscale.lagThreshold() < 1) {
        throw new IllegalArgumentException(
            "--lag-threshold must be at least 1, was " + autoscale.lagThreshold());
      }
      if (autoscale.tickMs() < 100) {
        throw new IllegalArgumentException(
            "AUTOSCALE_TICK_MS must be at least 100, was " + autoscale.tickMs());
      }
      return Optional.of(autoscale);
    }

    private static int count(String option, Number value, int fallback) {
      long count = value != null ? value.longValue() : fallback;
      if (count < 0 || count > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(option + " needs a whole number, was " + count);
      }
      return (int) count;
    }
  }

  /** The options that give {@code autoscale}'s settings again, for the autoscaler's own JVM. */
  static List<String> autoscaleArguments(PipelineSettings settings) {
    PipelineSettings.Autoscale a = settings.autoscale().orElseThrow();
    return List.of(
        "--autoscale",
        "--min=" + a.min(),
        "--max=" + a.max(),
        "--lag-threshold=" + a.lagThreshold(),
        "--activation-lag-threshold=" + a.activationLagThreshold(),
        "--cooldown=" + a.cooldownSeconds(),
        "--scale-down-window=" + a.scaleDownWindowSeconds(),
        "--model=" + settings.model().modelName(),
        "--kafka-port=" + settings.kafkaPort(),
        "--worker-port=" + settings.workerPort(),
        "--topic-prefix=" + settings.topicPrefix());
  }

  /** The settings of a run from the environment and {@code up}'s options. */
  PipelineSettings settings(
      String model, String profile, Optional<PipelineSettings.Autoscale> autoscale) {
    return PipelineSettings.builder(root, LocalModel.named(model))
        .ports(
            envInt("KAFKA_PORT", 9092),
            envInt("KAFKA_CONTROLLER_PORT", 9093),
            envInt("WORKER_PORT", 8081),
            envInt("INGRESS_PORT", 8080))
        .topics(
            env("TOPIC_PREFIX", "inference"),
            envInt("REQUEST_PARTITIONS", 4),
            envInt("REPLY_PARTITIONS", 4))
        .profile(profile)
        .settings(words(env("WORKER_ARGS", "")), words(env("INGRESS_ARGS", "")))
        .autoscale(autoscale.orElse(null))
        .build();
  }

  private static List<String> words(String line) {
    return Arrays.stream(line.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
  }

  @Command(
      name = "up",
      mixinStandardHelpOptions = true,
      description = {
        "Starts everything, waits until it serves (the workers hold their partitions and a probe"
            + " request made the round trip) and prints how to call it."
      })
  static final class Up implements Callable<Integer> {
    @ParentCommand PipelineCommand parent;

    @Option(
        names = {"--detach", "-d"},
        description = "return once ready; ./pipeline down stops it")
    boolean detach;

    @Option(
        names = "--model",
        paramLabel = "MODEL",
        description = "all-minilm-l6-v2 (the default) or simulated")
    String model;

    @Option(
        names = "--profile",
        paramLabel = "NAME",
        description = "run with a performance profile from profiles/")
    String profile;

    @CommandLine.Mixin AutoscaleOptions autoscale;

    @Override
    public Integer call() throws Exception {
      PrintStream out = parent.out;
      PipelineSettings settings =
          parent.settings(
              model != null ? model : parent.env("MODEL", LocalModel.MINILM.modelName()),
              profile,
              autoscale.settings(parent));
      long began = System.nanoTime();
      LocalPipeline pipeline = LocalPipeline.create(settings, out);
      // Ctrl-C (the services ignore it) or ./pipeline down: stop what started, in order
      CountDownLatch stopped = new CountDownLatch(1);
      Thread hook =
          new Thread(
              () -> {
                pipeline.close();
                stopped.countDown();
              },
              "pipeline-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      pipeline.start(detach);
      long tookMs = (System.nanoTime() - began) / 1_000_000;
      out.println();
      out.printf("The pipeline is ready (in %d.%d s).%n%n", tookMs / 1000, tookMs % 1000 / 100);
      out.print(ReadyMessage.endpoints(settings, pipeline.requestPartitions()));
      out.println();
      out.print(ReadyMessage.examples(settings));
      out.println();
      if (detach) {
        Runtime.getRuntime().removeShutdownHook(hook);
        out.println("Stop it with: ./pipeline down");
        return 0;
      }
      out.println("Press Ctrl-C to stop everything.");
      String which = pipeline.anyStopped().get();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        stopped.await(); // Ctrl-C: the hook stops everything
        return 0;
      }
      out.println(which + " stopped by itself; stopping the rest");
      pipeline.close();
      return 1;
    }
  }

  @Command(
      name = "down",
      mixinStandardHelpOptions = true,
      description = "Stops everything ./pipeline up started (also after --detach).")
  static final class Down implements Callable<Integer> {
    @ParentCommand PipelineCommand parent;

    @Override
    public Integer call() throws Exception {
      LocalPipeline.down(parent.runDir(), parent.out);
      return 0;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "Says what runs.")
  static final class Status implements Callable<Integer> {
    @ParentCommand PipelineCommand parent;

    @Override
    public Integer call() {
      return PipelineStatus.print(
              parent.runDir(),
              parent.logs(),
              parent.envInt("KAFKA_PORT", 9092),
              parent.envInt("WORKER_PORT", 8081),
              parent.envInt("INGRESS_PORT", 8080),
              parent.out)
          ? 0
          : 1;
    }
  }
}
