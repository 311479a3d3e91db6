package dev.inferpipe.loadgen.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kafka's own floor for one hop: its {@code EndToEndLatency} tool (kafka-tools, the broker's
 * version) against the same broker, in a process of its own: 3,000 messages of 256 bytes, each
 * produced with acks=all and consumed before the next is sent.
 */
final class KafkaFloor {
  /** One hop's latency in milliseconds (the tool reports percentiles in whole milliseconds). */
  record Hop(double p50Ms, double p99Ms, double meanMs) {}

  static final String TOPIC = "bench.end-to-end-latency";
  private static final Pattern AVERAGE = Pattern.compile("Avg latency: ([0-9.]+) ms");
  private static final Pattern PERCENTILES =
      Pattern.compile("Percentiles: 50th = (\\d+), 99th = (\\d+)");

  private KafkaFloor() {}

  static Hop measure(String bootstrap) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "org.apache.kafka.tools.EndToEndLatency",
                bootstrap,
                TOPIC,
                "3000",
                "all",
                "256")
            .redirectErrorStream(true)
            .start();
    double mean = Double.NaN;
    double p50 = Double.NaN;
    double p99 = Double.NaN;
    StringBuilder output = new StringBuilder();
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line : (Iterable<String>) in.lines()::iterator) {
        output.append(line).append('\n');
        Matcher average = AVERAGE.matcher(line);
        if (average.find()) {
          mean = Double.parseDouble(average.group(1));
        }
        Matcher percentiles = PERCENTILES.matcher(line);
        if (percentiles.find()) {
          p50 = Double.parseDouble(percentiles.group(1));
          p99 = Double.parseDouble(percentiles.group(2));
        }
      }
    }
    if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0 || Double.isNaN(p50)) {
      process.destroyForcibly();
      throw new IOException(
          "Kafka's EndToEndLatency failed: "
              + List.of(output.toString().strip().split("\n")).stream()
                  .reduce((a, b) -> b)
                  .orElse("no output"));
    }
    return new Hop(p50, p99, mean);
  }
}
