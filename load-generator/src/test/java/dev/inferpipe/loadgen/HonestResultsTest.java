package dev.inferpipe.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** A run says when it failed, in its exit status and in one line, and its rates are real. */
class HonestResultsTest {
  @TempDir Path dir;

  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** {@code ./loadgen run} with one caller, {@code count} requests. */
  private static Cli closedLoop(String target, int count, Path report, String... more) {
    String[] run = {
      "run",
      "--target",
      target,
      "--concurrency",
      "1",
      "--count",
      Integer.toString(count),
      "--report",
      report.toString()
    };
    return Cli.run(HttpTargetTest.concat(run, more));
  }

  @Test
  void anUnreachableTargetExitsNonZeroAndSaysWhyInOneLine() throws Exception {
    String target = "http://127.0.0.1:" + closedPort();
    Cli run = closedLoop(target, 5, dir.resolve("r"));

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err().strip()).doesNotContain("\n").contains("cannot reach").contains(target);
  }

  @Test
  void anUnreachableKafkaTargetExitsNonZeroAndSaysWhyInOneLine() throws Exception {
    String target = "kafka://127.0.0.1:" + closedPort();
    Cli run = closedLoop(target, 5, dir.resolve("k"));

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err().strip())
        .doesNotContain("\n")
        .isEqualTo("loadgen: cannot reach " + target + ": no broker answered within 10 s");
  }

  @Test
  void aRunWhoseRequestsAllFailExitsNonZeroNamingTheError() throws Exception {
    try (TestServer server =
        TestServer.http(
            (n, exchange) ->
                new TestServer.Reply(503, "{\"error\":\"full\",\"error_code\":\"OVERLOADED\"}"))) {
      Path base = dir.resolve("all-failed");
      Cli run = closedLoop(server.url("http"), 5, base);

      assertThat(run.exitCode()).isNotZero();
      assertThat(run.err().strip())
          .doesNotContain("\n")
          .contains("all 5 requests failed")
          .contains("503 OVERLOADED");
      assertThat(Cli.report(base).get("errors").get("503 OVERLOADED").asLong()).isEqualTo(5);
    }
  }

  @Test
  void aConnectionThatDropsEveryRequestIsLabelledByItsErrorNotAStatusZero() throws Exception {
    try (ServerSocket listener = new ServerSocket(0)) {
      CountDownLatch stop = new CountDownLatch(1);
      Thread dropper =
          new Thread(
              () -> {
                while (stop.getCount() > 0) {
                  try (Socket socket = listener.accept()) {
                    socket.getInputStream().read(); // reads a byte, then hangs up
                  } catch (Exception e) {
                    return;
                  }
                }
              });
      dropper.setDaemon(true);
      dropper.start();
      Path base = dir.resolve("dropped");
      Cli run = closedLoop("http://127.0.0.1:" + listener.getLocalPort(), 3, base);
      stop.countDown();

      assertThat(run.exitCode()).isNotZero();
      JsonNode errors = Cli.report(base).get("errors");
      assertThat(errors.properties())
          .singleElement()
          .satisfies(
              error -> {
                assertThat(error.getKey()).startsWith("io-error");
                assertThat(error.getValue().asLong()).isEqualTo(3);
              });
    }
  }

  @Test
  void ratesComeFromTheRealElapsedTime() throws Exception {
    try (TestServer server =
        TestServer.http(
            (n, exchange) -> {
              Thread.sleep(50); // the server's own work: 5 requests in a row take >= 250 ms
              return TestServer.Reply.OK;
            })) {
      Path base = dir.resolve("timed");
      Cli run = closedLoop(server.url("http"), 5, base);

      assertThat(run.exitCode()).isZero();
      JsonNode report = Cli.report(base);
      assertThat(report.get("completed").asLong()).isEqualTo(5);
      assertThat(report.get("seconds").asDouble()).isGreaterThanOrEqualTo(0.25);
      assertThat(report.get("sentPerSecond").asDouble()).isLessThanOrEqualTo(20.0);
    }
  }

  /** A quick run is a short one, not a fast one: 5 requests in a row are not 5 billion a second. */
  @Test
  void aQuickRunsRatesAreItsRealRates() throws Exception {
    try (TestServer server = TestServer.http((n, exchange) -> TestServer.Reply.OK)) {
      Path base = dir.resolve("quick");
      closedLoop(server.url("http"), 5, base); // classes loaded, code warm: the next run is quick
      Cli run = closedLoop(server.url("http"), 5, base);

      assertThat(run.exitCode()).isZero();
      JsonNode report = Cli.report(base);
      double seconds = report.get("seconds").asDouble();
      assertThat(seconds).isGreaterThan(0.0001); // 5 HTTP round trips take longer than 100 µs
      assertThat(report.get("sentPerSecond").asDouble()).isCloseTo(5 / seconds, within(0.01));
      assertThat(run.out()).doesNotContain("in 0.0 s");
    }
  }

  @Test
  void failOverGatesOnTheErrorRate() throws Exception {
    try (TestServer server =
        TestServer.http(
            (n, exchange) ->
                n % 4 == 0
                    ? new TestServer.Reply(429, "{\"error_code\":\"TOO_MANY_REQUESTS\"}")
                    : TestServer.Reply.OK)) {
      String[] run = {
        "run",
        "--target",
        server.url("http"),
        "--concurrency",
        "1",
        "--count",
        "20",
        "--report",
        dir.resolve("gated").toString(),
        "--fail-over"
      };
      Cli strict = Cli.run(HttpTargetTest.concat(run, "0.1"));
      Cli lenient = Cli.run(HttpTargetTest.concat(run, "0.5"));

      assertThat(strict.exitCode()).isNotZero();
      assertThat(strict.err().strip())
          .doesNotContain("\n")
          .contains("error rate 0.250")
          .contains("above --fail-over 0.1");
      assertThat(lenient.exitCode()).isZero();
    }
  }
}
