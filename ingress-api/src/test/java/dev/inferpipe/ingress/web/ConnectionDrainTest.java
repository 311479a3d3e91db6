package dev.inferpipe.ingress.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferpipe.ingress.IngressApplication;
import dev.inferpipe.localrun.TestKafka;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A stopping ingress, on a real socket: while it drains it still answers, says it is not ready, and
 * closes each keep-alive connection after a complete answer.
 */
class ConnectionDrainTest {
  @Test
  void aStoppingIngressAnswersAndThenClosesTheKeepAliveConnection() throws Exception {
    var topics = TestKafka.newTopics(1, 1, "sim");
    ConfigurableApplicationContext ingress =
        new SpringApplicationBuilder(IngressApplication.class)
            .run(
                "--spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(),
                "--server.port=0",
                "--ingress.topic-prefix=" + topics.prefix());
    int port = ((WebServerApplicationContext) ingress).getWebServer().getPort();
    URI ready = URI.create("http://127.0.0.1:" + port + "/v2/health/ready");
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> get(ready).statusCode() == 200);
      try (Socket socket = new Socket("127.0.0.1", port)) {
        socket.setSoTimeout(10_000);
        assertThat(exchange(socket, "/v2"))
            .startsWith("HTTP/1.1 200")
            .doesNotContainIgnoringCase("connection: close");

        CompletableFuture<Void> stopped = CompletableFuture.runAsync(ingress::close);
        await("draining")
            .atMost(Duration.ofSeconds(10))
            .until(() -> ingress.getBean(ConnectionDrain.class).isDraining());
        HttpResponse<String> readiness = get(ready);
        String answer = exchange(socket, "/v2");

        assertThat(readiness.statusCode()).isEqualTo(503);
        assertThat(readiness.body()).contains("\"stopping\":true");
        assertThat(answer).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close");
        assertThat(socket.getInputStream().read()).as("closed after the answer").isEqualTo(-1);
        stopped.get();
      }
    } finally {
      ingress.close();
    }
  }

  private static HttpResponse<String> get(URI uri) throws Exception {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** One request on the open connection; the whole answer (headers and a Content-Length body). */
  private static String exchange(Socket socket, String path) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(
        ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed before a whole answer: " + head);
      }
      head.write(b);
    }
    String headers = head.toString(StandardCharsets.US_ASCII);
    if (headers.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
      StringBuilder body = new StringBuilder();
      for (int size; (size = Integer.parseInt(line(in), 16)) > 0; line(in)) {
        body.append(new String(in.readNBytes(size), StandardCharsets.UTF_8));
      }
      line(in); // the empty line after the last chunk
      return headers + body;
    }
    int length = 0;
    for (String line : headers.split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b; (b = in.read()) != '\n'; ) {
      if (b < 0) {
        throw new IOException("closed mid-answer");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII).trim();
  }
}
