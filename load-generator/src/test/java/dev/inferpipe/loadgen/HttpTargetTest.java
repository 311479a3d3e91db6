package dev.inferpipe.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferpipe.loadgen.drive.Outcome;
import dev.inferpipe.loadgen.drive.Target;
import dev.inferpipe.loadgen.trace.TraceEntry;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The HTTP client against real local servers: URL, headers, TLS, connections, keep-alive. */
class HttpTargetTest {
  @TempDir Path dir;

  private Cli run(String target, String... more) {
    String[] args = {
      "run",
      "--target",
      target,
      "--model",
      "m",
      "--payload",
      "tensor",
      "--concurrency",
      "1",
      "--report",
      dir.resolve("r").toString()
    };
    boolean counted = java.util.Arrays.asList(more).contains("--count");
    return Cli.run(
        concat(concat(args, more), counted ? new String[0] : new String[] {"--count", "4"}));
  }

  @Test
  void honoursThePathPrefixSendsHostWithItsPortAndRepeatedHeaders() throws Exception {
    try (TestServer server = TestServer.http((n, exchange) -> TestServer.Reply.OK)) {
      Cli cli =
          run(
              server.url("http") + "/team-a/",
              "--header",
              "Authorization: Bearer k-1",
              "--header",
              "X-Trace:  abc ");

      assertThat(cli.exitCode()).isZero();
      assertThat(server.seen).hasSize(4);
      for (TestServer.Seen seen : server.seen) {
        assertThat(seen.path()).isEqualTo("/team-a/v2/models/m/infer");
        assertThat(seen.host()).isEqualTo("127.0.0.1:" + server.port());
        assertThat(seen.headers().getFirst("Authorization")).isEqualTo("Bearer k-1");
        assertThat(seen.headers().getFirst("X-Trace")).isEqualTo("abc");
      }
    }
  }

  @Test
  void readsChunkedAnswersAndTheirErrorCodes() throws Exception {
    try (TestServer server =
        TestServer.http(
            (n, exchange) ->
                n % 2 == 0
                    ? new TestServer.Reply(200, "{\"outputs\":[]}", true)
                    : new TestServer.Reply(503, "{\"error_code\":\"OVERLOADED\"}", true))) {
      assertThat(run(server.url("http"), "--count", "6").exitCode()).isZero();

      JsonNode report = Cli.report(dir.resolve("r"));
      assertThat(report.get("completed").asLong()).isEqualTo(3);
      assertThat(report.get("errors").get("503 OVERLOADED").asLong()).isEqualTo(3);
    }
  }

  @Test
  void aRequestThatCannotConnectIsLabelledByItsError() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    try (Target target = Target.of("http://127.0.0.1:" + port, 1)) {
      Outcome outcome = target.send(new TraceEntry(0, "r1", "m", 1000, body)).get();

      assertThat(outcome.ok()).isFalse();
      assertThat(outcome.label()).isEqualTo("connect-error (Connection refused)");
    }
  }

  @Test
  void aHeaderWithoutAColonIsRefused() throws Exception {
    Cli cli = run("http://127.0.0.1:1", "--header", "Authorization Bearer");

    assertThat(cli.exitCode()).isNotZero();
    assertThat(cli.err()).contains("--header must look like 'Name: value'");
  }

  @Test
  void concurrencyOneUsesOneConnection() throws Exception {
    try (TestServer server = TestServer.http((n, exchange) -> TestServer.Reply.OK)) {
      assertThat(run(server.url("http"), "--count", "40").exitCode()).isZero();

      assertThat(server.seen).hasSize(40);
      assertThat(server.seen.stream().map(TestServer.Seen::clientPort).distinct()).hasSize(1);
    }
  }

  @Test
  void connectionsOverridesTheConcurrency() throws Exception {
    try (TestServer server = TestServer.http((n, exchange) -> TestServer.Reply.OK)) {
      assertThat(run(server.url("http"), "--count", "40", "--connections", "4").exitCode())
          .isZero();

      assertThat(server.seen).hasSize(40);
      assertThat(server.seen.stream().map(TestServer.Seen::clientPort).distinct().count())
          .isBetween(1L, 4L);
    }
  }

  @Test
  void httpsNeedsInsecureForASelfSignedCertificate() throws Exception {
    try (TestServer server = TestServer.https(selfSigned(), (n, exchange) -> TestServer.Reply.OK)) {
      Cli verified = run(server.url("https"));
      Cli insecure = run(server.url("https"), "--insecure");

      assertThat(verified.exitCode()).isNotZero();
      assertThat(verified.err()).contains("tls-error");
      assertThat(insecure.exitCode()).isZero();
      assertThat(Cli.report(dir.resolve("r")).get("completed").asLong()).isEqualTo(4);
    }
  }

  /**
   * A server that answers one request per connection with keep-alive, then hangs up: each reused
   * connection is stale by the time the next request goes out.
   */
  @Test
  void aRequestOnAStaleKeepAliveConnectionIsRetriedOnceAndCountedAsRetried() throws Exception {
    Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    AtomicInteger answered = new AtomicInteger();
    try (ServerSocket listener = new ServerSocket(0)) {
      Thread server =
          new Thread(
              () -> {
                while (!listener.isClosed()) {
                  try (Socket socket = listener.accept()) {
                    clientPorts.add(socket.getPort());
                    if (answerOne(socket.getInputStream(), socket.getOutputStream())) {
                      answered.incrementAndGet();
                    }
                  } catch (Exception e) {
                    // the listener closed, or a client went away
                  }
                }
              });
      server.setDaemon(true);
      server.start();

      Cli cli = run("http://127.0.0.1:" + listener.getLocalPort(), "--count", "5");

      assertThat(cli.exitCode()).isZero();
      JsonNode report = Cli.report(dir.resolve("r"));
      assertThat(report.get("completed").asLong()).isEqualTo(5);
      assertThat(report.get("failed").asLong()).isZero();
      assertThat(report.get("retried").asLong()).isEqualTo(4);
      assertThat(answered.get()).isEqualTo(5);
    }
  }

  /** Answers one request, if one comes (loadgen's reachability check sends none). */
  private static boolean answerOne(InputStream in, OutputStream out) throws Exception {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    if (reader.readLine() == null) {
      return false;
    }
    int length = 0;
    for (String line; (line = reader.readLine()) != null && !line.isEmpty(); ) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    reader.read(new char[length]); // the body is ASCII JSON
    out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return true;
  }

  /** A TLS context with a fresh self-signed certificate, made by the JDK's keytool. */
  private SSLContext selfSigned() throws Exception {
    Path store = dir.resolve("server.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor()).as(output).isZero();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = java.nio.file.Files.newInputStream(store)) {
      keys.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(keys, "changeit".toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(factory.getKeyManagers(), null, null);
    return tls;
  }

  static String[] concat(String[] first, String... second) {
    return java.util.stream.Stream.concat(
            java.util.Arrays.stream(first), java.util.Arrays.stream(second))
        .collect(Collectors.toList())
        .toArray(String[]::new);
  }
}
