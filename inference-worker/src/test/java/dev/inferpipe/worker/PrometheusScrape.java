package dev.inferpipe.worker;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One scrape of a service's {@code /metrics} in the Prometheus text format, with the sample names
 * and values tests assert on, and {@code promtool check metrics} where promtool is installed.
 * Shared by every module's tests through the worker's test-jar.
 */
public record PrometheusScrape(String text) {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  // name, optional {labels}, value
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)");

  /** Scrapes {@code /metrics} of a service started in this JVM. */
  public static PrometheusScrape of(ConfigurableApplicationContext service) {
    int port = ((WebServerApplicationContext) service).getWebServer().getPort();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
            .header("Accept", "text/plain; version=0.0.4")
            .build();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("/metrics answered " + response.statusCode());
      }
      return new PrometheusScrape(response.body());
    } catch (IOException e) {
      throw new IllegalStateException("could not scrape port " + port, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while scraping", e);
    }
  }

  /** Every sample name, e.g. {@code x_total}, {@code y_seconds_bucket}. */
  public Set<String> sampleNames() {
    Set<String> names = new TreeSet<>();
    text.lines()
        .map(SAMPLE::matcher)
        .filter(Matcher::find)
        .forEach(sample -> names.add(sample.group(1)));
    return names;
  }

  /**
   * The sum of the samples named {@code name} that carry every given label, each written as in the
   * exposition ({@code outcome="success"}); 0 when there is none.
   */
  public double sum(String name, String... labels) {
    double sum = 0;
    for (String line : text.lines().toList()) {
      Matcher sample = SAMPLE.matcher(line);
      if (sample.find()
          && sample.group(1).equals(name)
          && Arrays.stream(labels).allMatch(label -> labelsOf(sample).contains(label))) {
        sum += Double.parseDouble(sample.group(3));
      }
    }
    return sum;
  }

  /** The label sets of the samples named {@code name}, as written in the exposition. */
  public Set<String> labelSets(String name) {
    Set<String> sets = new TreeSet<>();
    text.lines()
        .map(SAMPLE::matcher)
        .filter(sample -> sample.find() && sample.group(1).equals(name))
        .forEach(sample -> sets.add(labelsOf(sample)));
    return sets;
  }

  private static String labelsOf(Matcher sample) {
    return sample.group(2) == null ? "{}" : sample.group(2);
  }

  /** True when {@code promtool} is on the PATH. */
  public static boolean promtoolInstalled() {
    String path = System.getenv().getOrDefault("PATH", "");
    return Arrays.stream(path.split(java.io.File.pathSeparator))
        .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "promtool")));
  }

  /** What {@code promtool check metrics} says about this scrape: empty when it passes. */
  public String promtoolProblems() throws IOException, InterruptedException {
    return promtool(text, "check", "metrics");
  }

  /**
   * Runs {@code promtool} with {@code arguments} and {@code input} on its standard input; returns
   * its exit status and output when it fails, else an empty string.
   */
  public static String promtool(String input, String... arguments)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("promtool"));
    command.addAll(List.of(arguments));
    Process promtool = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (OutputStream in = promtool.getOutputStream()) {
      in.write(input.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!promtool.waitFor(30, TimeUnit.SECONDS)) {
      promtool.destroyForcibly();
      return "promtool did not finish within 30 s";
    }
    // a lint problem exits with 3, a parse error with 1
    return promtool.exitValue() == 0 ? "" : "exit " + promtool.exitValue() + ": " + output;
  }
}
