package dev.inferpipe.loadgen.cli;

import dev.inferpipe.loadgen.bench.TrivialEndpoint;
import dev.inferpipe.loadgen.drive.ClosedLoop;
import dev.inferpipe.loadgen.drive.Target;
import dev.inferpipe.loadgen.report.RunRecorder;
import dev.inferpipe.loadgen.report.RunReport;
import dev.inferpipe.loadgen.trace.TraceEntry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    mixinStandardHelpOptions = true,
    name = "bench-self",
    description = {
      "Is loadgen the bottleneck? Starts a trivial HTTP endpoint (its own process, answering 200"
          + " {} to everything), drives it closed-loop with loadgen and then with wrk (Debian"
          + " package wrk), same connections and seconds, in turns, and prints both rates and"
          + " loadgen/wrk: the median rates' ratio."
    })
final class BenchSelfCommand implements Callable<Integer> {
  private static final Pattern WRK_RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final byte[] BODY =
      "{\"id\":\"b1\",\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}"
          .getBytes(StandardCharsets.US_ASCII);

  @Spec CommandSpec command;

  @Option(names = "--seconds", defaultValue = "5", description = "each run (default: 5)")
  int seconds;

  @Option(
      names = "--rounds",
      defaultValue = "3",
      description =
          "rounds of loadgen then wrk; the ratio is the median's (default: ${DEFAULT-VALUE})")
  int rounds;

  @Option(
      names = "--connections",
      defaultValue = "32",
      description = "connections for both (default: 32)")
  int connections;

  @Option(names = "--wrk-threads", defaultValue = "2", description = "wrk's threads (default: 2)")
  int wrkThreads;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = command.commandLine().getOut();
    Process endpoint =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                TrivialEndpoint.class.getName())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      String port =
          new BufferedReader(
                  new InputStreamReader(endpoint.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      String url = "http://127.0.0.1:" + port + "/v2/models/bench/infer";
      if (rounds < 1 || seconds < 1) {
        throw new IllegalArgumentException("--rounds and --seconds must be at least 1");
      }
      out.printf(
          Locale.ROOT,
          "trivial endpoint %s (own process), %d connections, %d s a run, %d rounds, %d cores%n",
          url,
          connections,
          seconds,
          rounds,
          Runtime.getRuntime().availableProcessors());
      out.flush();
      loadgen("http://127.0.0.1:" + port, seconds); // JIT warm-up, not counted
      double[] loadgen = new double[rounds];
      double[] wrk = new double[rounds];
      for (int round = 0; round < rounds; round++) {
        loadgen[round] = loadgen("http://127.0.0.1:" + port, seconds);
        wrk[round] = wrk(url);
        out.printf(
            Locale.ROOT,
            "round %d  loadgen %,9.0f requests/s  wrk %,9.0f requests/s (-t%d -c%d)  ratio %.2f%n",
            round + 1,
            loadgen[round],
            wrk[round],
            wrkThreads,
            connections,
            loadgen[round] / wrk[round]);
        out.flush();
      }
      out.printf(
          Locale.ROOT,
          "median   loadgen %,9.0f requests/s  wrk %,9.0f requests/s  ratio %.2f loadgen/wrk%n",
          median(loadgen),
          median(wrk),
          median(loadgen) / median(wrk));
      out.flush();
      return 0;
    } finally {
      endpoint.destroy();
      endpoint.waitFor(5, TimeUnit.SECONDS);
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  private double loadgen(String base, int runSeconds) throws Exception {
    List<TraceEntry> pool = List.of(new TraceEntry(0, "b1", "bench", 10_000, BODY));
    RunRecorder recorder = new RunRecorder(System.nanoTime() + 100_000_000L);
    try (Target target = Target.of(base, connections)) {
      ClosedLoop.run(pool, connections, Duration.ofSeconds(runSeconds), 0, target, recorder);
    }
    RunReport report = recorder.report(Map.of());
    if (report.completed() == 0) {
      throw new IllegalStateException("loadgen got no answer from the trivial endpoint");
    }
    return report.completedPerSecond();
  }

  private double wrk(String url) throws Exception {
    Path script = Files.createTempFile("bench-self", ".lua");
    try {
      Files.writeString(
          script,
          "wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n"
              + "wrk.body = '"
              + new String(BODY, StandardCharsets.US_ASCII)
              + "'\n");
      Process wrk;
      try {
        wrk =
            new ProcessBuilder(
                    "wrk",
                    "-t" + wrkThreads,
                    "-c" + connections,
                    "-d" + seconds + "s",
                    "-s",
                    script.toString(),
                    url)
                .redirectErrorStream(true)
                .start();
      } catch (java.io.IOException e) {
        throw new IllegalStateException(
            "wrk not found: install it (Debian: apt-get install wrk) to compare with it", e);
      }
      String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      wrk.waitFor();
      Matcher rate = WRK_RATE.matcher(output);
      if (!rate.find()) {
        throw new IllegalStateException("wrk printed no rate:\n" + output);
      }
      return Double.parseDouble(rate.group(1));
    } finally {
      Files.deleteIfExists(script);
    }
  }
}
