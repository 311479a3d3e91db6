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
          + " package wrk), same connections and seconds, and prints both rates and"
          + " loadgen/wrk."
    })
final class BenchSelfCommand implements Callable<Integer> {
  private static final Pattern WRK_RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final byte[] BODY =
      "{\"id\":\"b1\",\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}"
          .getBytes(StandardCharsets.US_ASCII);

  @Spec CommandSpec command;

  @Option(names = "--seconds", defaultValue = "10", description = "each run (default: 10)")
  int seconds;

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
      out.printf(
          Locale.ROOT,
          "trivial endpoint %s (own process), %d connections, %d s each, %d cores%n",
          url,
          connections,
          seconds,
          Runtime.getRuntime().availableProcessors());
      out.flush();
      loadgen("http://127.0.0.1:" + port, Math.min(seconds, 3)); // JIT warm-up, not counted
      double loadgen = loadgen("http://127.0.0.1:" + port, seconds);
      out.printf(Locale.ROOT, "loadgen  %,12.0f requests/s%n", loadgen);
      out.flush();
      double wrk = wrk(url);
      out.printf(
          Locale.ROOT, "wrk      %,12.0f requests/s  (-t%d -c%d)%n", wrk, wrkThreads, connections);
      out.printf(Locale.ROOT, "ratio    %12.2f  loadgen/wrk%n", loadgen / wrk);
      out.flush();
      return 0;
    } finally {
      endpoint.destroy();
      endpoint.waitFor(5, TimeUnit.SECONDS);
    }
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
