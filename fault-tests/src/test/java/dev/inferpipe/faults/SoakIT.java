package dev.inferpipe.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.inferpipe.loadgen.bench.SoakBenchmark;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * The 3-minute version of {@code ./benchmark soak}: the local pipeline as {@code ./pipeline} runs
 * it, MiniLM at 70% of its measured capacity, sampled every 20 s; it fails on a request not
 * answered 200 or on a series that keeps growing. It needs the ports {@code ./pipeline} uses, so it
 * skips where a pipeline (or anything else) holds them.
 */
class SoakIT {
  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void threeMinutesAtSeventyPercentLoseNothingAndGrowNothing() throws Exception {
    assumeTrue(Files.isExecutable(ROOT.resolve("pipeline")), "no ./pipeline at " + ROOT);
    for (int port : new int[] {8080, 8081, 9092, 9093}) {
      assumeTrue(free(port), "port " + port + " is taken: a local pipeline may be running");
    }

    int exit =
        new CommandLine(new SoakBenchmark())
            .execute("--root", ROOT.toString(), "--minutes", "3", "--sample-seconds", "20");

    assertThat(exit).as("./benchmark soak --minutes 3 (its table is in the build log)").isZero();
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket(port)) {
      socket.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
