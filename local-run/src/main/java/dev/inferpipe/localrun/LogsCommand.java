package dev.inferpipe.localrun;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ./pipeline logs [NAME]}. */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description = "Follows a component's log (kafka, worker, ingress, autoscaler, worker-N).")
final class LogsCommand implements Callable<Integer> {
  @ParentCommand PipelineCommand parent;

  @Parameters(arity = "0..1", paramLabel = "NAME", defaultValue = "ingress")
  String name;

  @Override
  public Integer call() throws Exception {
    Path log = parent.logs().resolve(name + ".log");
    if (!Files.isRegularFile(log)) {
      throw new IllegalArgumentException(
          "no log for '" + name + "' (try kafka, worker, ingress, autoscaler or worker-N)");
    }
    follow(log, parent.out);
    return 0;
  }

  /** Prints the last lines, then whatever is appended, until interrupted (like tail -f). */
  private static void follow(Path log, PrintStream out) throws IOException, InterruptedException {
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long start = Math.max(0, file.length() - 4096);
      file.seek(start);
      byte[] buffer = new byte[8192];
      while (!Thread.currentThread().isInterrupted()) {
        if (file.length() < file.getFilePointer()) {
          file.seek(0); // the log was started afresh
        }
        int read = file.read(buffer);
        if (read > 0) {
          out.print(new String(buffer, 0, read, StandardCharsets.UTF_8));
          out.flush();
        } else {
          Thread.sleep(200);
        }
      }
    }
  }
}
