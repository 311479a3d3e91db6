package dev.inferpipe.loadgen.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Starts and stops the local pipeline through the repository's {@code ./pipeline} script. */
final class LocalPipeline {
  private final Path root;

  LocalPipeline(Path root) {
    this.root = root;
  }

  /** Starts the pipeline serving {@code model}, with extra worker settings; waits until ready. */
  void up(String model, List<String> workerArgs) throws IOException, InterruptedException {
    down();
    ProcessBuilder builder =
        new ProcessBuilder("./pipeline", "up", "--detach", "--model", model)
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("WORKER_ARGS", String.join(" ", workerArgs));
    int exit = builder.start().waitFor();
    if (exit != 0) {
      throw new IOException(
          "./pipeline up --model " + model + " failed (exit " + exit + "); see .pipeline/logs/");
    }
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
