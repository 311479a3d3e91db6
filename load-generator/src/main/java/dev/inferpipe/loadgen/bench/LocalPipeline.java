package dev.inferpipe.loadgen.bench;

import dev.inferpipe.localrun.LocalModel;
import dev.inferpipe.localrun.PipelineSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Starts and stops the local pipeline as {@code ./pipeline up} does (local-run's {@link
 * dev.inferpipe.localrun.LocalPipeline}), on its own topic prefix ({@code bench}) so that it never
 * mixes with a user's topics. What the start prints goes to {@code
 * .pipeline/logs/benchmark-up.log}.
 */
final class LocalPipeline {
  private final Path root;
  private dev.inferpipe.localrun.LocalPipeline running;

  LocalPipeline(Path root) {
    this.root = root;
  }

  /**
   * Starts the pipeline serving {@code model} under {@code profile}, with extra worker settings
   * (which win over the profile's); waits until it serves.
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
    PipelineSettings defaults = PipelineSettings.builder(root, LocalModel.named(model)).build();
    PipelineSettings settings =
        PipelineSettings.builder(root, LocalModel.named(model))
            .topics(topicPrefix, defaults.requestPartitions(), defaults.replyPartitions())
            .profile(profile)
            .settings(workerArgs, ingressArgs)
            .build();
    Path log = settings.logs().resolve("benchmark-up.log");
    Files.createDirectories(log.getParent());
    try (PrintStream out =
        new PrintStream(
            Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
            true)) {
      running = dev.inferpipe.localrun.LocalPipeline.start(settings, false, out);
    } catch (dev.inferpipe.localrun.LocalPipeline.StartFailed e) {
      throw new IOException(
          "the pipeline with model " + model + " did not start: " + e.getMessage(), e);
    }
  }

  /** Stops the pipeline this started, and any that an earlier run left behind. */
  void down() throws InterruptedException {
    if (running != null) {
      running.close();
      running = null;
    }
    dev.inferpipe.localrun.LocalPipeline.down(
        root.resolve(".pipeline/run"), new PrintStream(PrintStream.nullOutputStream()));
  }
}
