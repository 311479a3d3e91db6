package dev.inferpipe.loadgen.bench;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The worker's {@code SingleProcessServer} as a process of its own: HTTP into an in-memory batch
 * queue and the same model runners, no broker. What the pipeline is compared against.
 *
 * <p>Owns the process: {@link #close} kills it.
 */
final class SingleProcessBaseline implements AutoCloseable {
  static final int PORT = 8090;
  private final Process process;

  /** Starts it with the server's options ({@code --model}, {@code --batch-size}, ...). */
  SingleProcessBaseline(Path root, List<String> options) throws IOException, InterruptedException {
    Path classpath = root.resolve("inference-worker/target/runtime-classpath.txt");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dai.djl.offline=true");
    command.add("-cp");
    command.add(
        root.resolve("inference-worker/target/classes") + ":" + Files.readString(classpath).trim());
    command.add("dev.inferpipe.worker.bench.SingleProcessServer");
    command.add("--port=" + PORT);
    command.addAll(options);
    Path log = root.resolve(".pipeline/logs/single-process-server.log");
    Files.createDirectories(log.getParent());
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!listening()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IOException("the single-process server did not start; see " + log);
      }
      Thread.sleep(200); // polling a port that is not open yet: nothing to wait on
    }
  }

  /** The server's and the load generator's CPU time. */
  ProcessCpu cpu() {
    return ProcessCpu.of("single-process", process.pid());
  }

  String url() {
    return "http://127.0.0.1:" + PORT;
  }

  private static boolean listening() {
    try (Socket socket = new Socket("127.0.0.1", PORT)) {
      return socket.isConnected();
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
