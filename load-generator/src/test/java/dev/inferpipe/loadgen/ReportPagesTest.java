package dev.inferpipe.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.inferpipe.loadgen.report.HtmlReport;
import dev.inferpipe.loadgen.report.RunReport;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The HTML report and the comparison page: self-contained, with axes, ticks, labels and legends;
 * and, where Chromium is installed (Debian package chromium), rendered by it to PNGs (kept in
 * target/report-pages/) that must show the charts' lines.
 */
class ReportPagesTest {
  private static final Path PAGES = Path.of("target", "report-pages");
  private static final Pattern SVG_TEXT = Pattern.compile("<text[^>]*>([^<]*)</text>");

  /** A 30-second run: latency rising from 20 ms, an error burst at seconds 12 to 14. */
  private static RunReport run(String name, double latencyScale, int rate) {
    List<RunReport.Second> timeline = new ArrayList<>();
    for (int s = 0; s < 30; s++) {
      long failed = s >= 12 && s < 15 ? rate / 10 : 0;
      double p50 = latencyScale * (20 + s);
      timeline.add(new RunReport.Second(s, rate, rate - failed, failed, p50, p50 * 2.5, p50 * 4));
    }
    List<RunReport.Point> curve = new ArrayList<>();
    for (double p : new double[] {0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99}) {
      curve.add(new RunReport.Point(p, latencyScale * 20 * Math.pow(1.5, p / 10)));
    }
    Map<String, Double> latency = new LinkedHashMap<>();
    latency.put("p50", latencyScale * 35);
    latency.put("p99", latencyScale * 90);
    latency.put("p99.9", latencyScale * 140);
    return new RunReport(
        Map.of("run", name),
        30,
        30L * rate,
        30L * rate - 3L * rate / 10,
        3L * rate / 10,
        0,
        rate,
        rate * 0.99,
        latency,
        Map.of("429 TOO_MANY_REQUESTS", 3L * rate / 10),
        timeline,
        curve);
  }

  private static Path write(String name, String html) throws Exception {
    Files.createDirectories(PAGES);
    Path page = PAGES.resolve(name).toAbsolutePath();
    Files.writeString(page, html, StandardCharsets.UTF_8);
    return page;
  }

  @Test
  void theReportHasFourChartsWithAxesTicksLabelsAndLegendsAndNeedsNothingFromElsewhere()
      throws Exception {
    String html = HtmlReport.of(run("a", 1, 200));

    assertSelfContained(html);
    assertThat(count(html, "<svg ")).isEqualTo(4);
    List<String> texts = texts(html);
    assertThat(texts)
        .contains("Latency over time", "Throughput over time", "Errors over time")
        .contains("Latency by percentile")
        .contains("time (s)", "latency (ms)", "requests/s", "failed requests/s", "percentile")
        .contains("p50", "p99", "p99.9", "sent", "completed", "failed")
        .contains("0", "10", "20", "50%", "90%", "99%", "99.9%", "99.99%");
  }

  @Test
  void theComparisonPutsBothRunsSideBySideOnTheSameAxes() throws Exception {
    String html =
        HtmlReport.compare("before.json", run("a", 1, 200), "after.json", run("b", 2, 150));

    assertSelfContained(html);
    assertThat(count(html, "<svg ")).isEqualTo(8);
    assertThat(texts(html)).contains("A: before.json · Latency over time");
    assertThat(texts(html)).contains("B: after.json · Latency over time");
    // each pair of charts has the same ticks: the same axes
    List<String> charts = List.of(html.split("<svg "));
    for (int pair = 0; pair < 4; pair++) {
      List<String> left = ticks(charts.get(1 + 2 * pair));
      List<String> right = ticks(charts.get(2 + 2 * pair));
      assertThat(left).isNotEmpty().isEqualTo(right);
    }
    assertThat(html).contains("<th>B/A</th>");
  }

  /** {@code compare} reads reports written before they counted retries and p99.9 per second. */
  @Test
  void compareWritesThePageAlsoForAnOlderReport(@TempDir Path dir) throws Exception {
    JsonMapper json = JsonMapper.builder().build();
    ObjectNode older = (ObjectNode) json.valueToTree(run("old", 1, 100));
    older.remove("retried");
    older.get("timeline").forEach(second -> ((ObjectNode) second).remove("p999Ms"));
    Path a = dir.resolve("old.json");
    Path b = dir.resolve("new.json");
    json.writeValue(a.toFile(), older);
    json.writeValue(b.toFile(), run("new", 2, 100));
    Path page = dir.resolve("compare.html");

    Cli compare = Cli.run("compare", a.toString(), b.toString(), "--html", page.toString());

    assertThat(compare.exitCode()).as(compare.err()).isZero();
    assertThat(compare.out()).contains("latency p99 ms").contains("page       " + page);
    assertThat(Files.readString(page)).contains("A: old.json · Latency over time");
  }

  @Test
  void chromiumRendersBothPagesWithTheirCharts() throws Exception {
    Optional<String> chromium = chromium();
    assumeTrue(chromium.isPresent(), "no chromium on PATH (Debian package chromium)");
    Path report = write("report.html", HtmlReport.of(run("a", 1, 200)));
    Path compare =
        write(
            "compare.html",
            HtmlReport.compare("before.json", run("a", 1, 200), "after.json", run("b", 2, 150)));

    BufferedImage reportImage = render(chromium.get(), report, 1000, 1500);
    BufferedImage compareImage = render(chromium.get(), compare, 1240, 1700);

    assertCharts(reportImage, 0, reportImage.getWidth());
    // both halves of the comparison hold charts
    assertCharts(compareImage, 0, compareImage.getWidth() / 2);
    assertCharts(compareImage, compareImage.getWidth() / 2, compareImage.getWidth());
  }

  /** Not blank, and the lines' colours (p50 blue, p99.9 red, completed green) are drawn. */
  private static void assertCharts(BufferedImage image, int fromX, int toX) {
    long ink = 0;
    long blue = 0;
    long red = 0;
    long green = 0;
    long pixels = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = fromX; x < toX; x++) {
        int rgb = image.getRGB(x, y) & 0xffffff;
        pixels++;
        if (rgb != 0xffffff && rgb != 0xf6f6f6) {
          ink++;
        }
        blue += near(rgb, 0x1f77b4) ? 1 : 0;
        red += near(rgb, 0xd62728) ? 1 : 0;
        green += near(rgb, 0x2ca02c) ? 1 : 0;
      }
    }
    assertThat(ink).as("drawn pixels of %d", pixels).isGreaterThan(pixels / 50);
    assertThat(blue).as("p50 line").isGreaterThan(200);
    assertThat(red).as("p99.9 and failed lines").isGreaterThan(200);
    assertThat(green).as("completed line").isGreaterThan(200);
  }

  private static boolean near(int rgb, int color) {
    for (int shift = 0; shift <= 16; shift += 8) {
      if (Math.abs(((rgb >> shift) & 0xff) - ((color >> shift) & 0xff)) > 24) {
        return false;
      }
    }
    return true;
  }

  private static BufferedImage render(String chromium, Path page, int width, int height)
      throws Exception {
    Path png = Path.of(page.toString().replace(".html", ".png"));
    Files.deleteIfExists(png);
    Path profile = Files.createTempDirectory("chromium-profile");
    Process process =
        new ProcessBuilder(
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--hide-scrollbars",
                "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height,
                "--screenshot=" + png,
                page.toUri().toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(output).isTrue();
    assertThat(png).as(output).exists();
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image).as("a PNG").isNotNull();
    return image;
  }

  private static Optional<String> chromium() {
    return Stream.of(System.getenv("PATH").split(File.pathSeparator))
        .flatMap(
            dir ->
                Stream.of("chromium", "chromium-browser", "google-chrome")
                    .map(name -> Path.of(dir, name)))
        .filter(Files::isExecutable)
        .map(Path::toString)
        .findFirst();
  }

  private static void assertSelfContained(String html) {
    assertThat(html).doesNotContain("<script").doesNotContain("src=").doesNotContain("href=");
    assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", ""))
        .doesNotContain("http://")
        .doesNotContain("https://");
  }

  private static List<String> texts(String html) {
    List<String> texts = new ArrayList<>();
    Matcher text = SVG_TEXT.matcher(html);
    while (text.find()) {
      texts.add(text.group(1).replace("&amp;", "&"));
    }
    return texts;
  }

  /** The tick labels of one chart: the texts anchored at the middle or the end of the axes. */
  private static List<String> ticks(String svg) {
    List<String> ticks = new ArrayList<>();
    Matcher text =
        Pattern.compile("<text[^>]*text-anchor=\"(?:middle|end)\"[^>]*>([^<]*)</text>")
            .matcher(svg);
    while (text.find()) {
      ticks.add(text.group(1));
    }
    return ticks;
  }

  private static int count(String text, String part) {
    return text.split(Pattern.quote(part), -1).length - 1;
  }
}
