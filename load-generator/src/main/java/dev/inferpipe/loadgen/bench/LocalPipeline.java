package dev.inferpipe.loadgen.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Starts and stops the local pipeline through the repository's {@code ./pipeline} script, on its
 * own topic prefix ({@code bench}) so that it never mixes with a user's topics.
 */
final class LocalPipeline {
  private final Path root;

  LocalPipeline(Path root) {
    this.root = root;
  }

  /**
   * Starts the pipeline serving {@code model} under {@code profile}, with extra worker settings
   * (which win over the profile's); waits until ready.
   */
  void up(String model, String profile, List<String> workerArgs)
      throws IOException, InterruptedException {
    up(model, profile, workerArgs, List.of(), "bench");
  }

  /**
   * The same with extra ingress settings, on topics of their own: a topic keeps the partitions it
   * was created with, so runs under profiles with different consumer counts need fresh topics to
   * get theirs.
   */
  void up(
      String model,
      String profile,
      List<String> workerArgs,
      List<String> ingressArgs,
      String topicPrefix)
      throws IOException, InterruptedException {
    down();
    ProcessBuilder builder =
        new ProcessBuilder("./pipeline", "up", "--detach", "--model", model, "--profile", profile)
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(upLog()));
    builder.environment().put("WORKER_ARGS", String.join(" ", workerArgs));
    builder.environment().put("INGRESS_ARGS", String.join(" ", ingressArgs));
    builder.environment().put("TOPIC_PREFIX", topicPrefix);
    int exit = builder.start().waitFor();
    if (exit != 0) {
      throw new IOException(
          "./pipeline up --model "
              + model
              + " failed (exit "
              + exit
              + "); see "
              + upLog()
              + " and .pipeline/logs/");
    }
  }

  /** Where the output of {@code ./pipeline up} goes. */
  private java.io.File upLog() throws IOException {
    Path logs = root.resolve(".pipeline/logs");
    java.nio.file.Files.createDirectories(logs);
    return logs.resolve("benchmark-up.log").toFile();
  }

  void down() throws IOException, InterruptedException {
    new ProcessBuilder("./pipeline", "down")
        .directory(root.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start()
        .waitFor();
  }
}
