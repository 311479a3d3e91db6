package dev.inferpipe.loadgen;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A real local HTTP (or HTTPS) server on an ephemeral port that remembers each request it got and
 * answers with what {@link Answer} says.
 */
final class TestServer implements AutoCloseable {
  /** What one request got. */
  record Seen(String path, String host, com.sun.net.httpserver.Headers headers, int clientPort) {}

  /** The answer to the request numbered {@code n} (from 0). */
  interface Answer {
    Reply to(int n, HttpExchange exchange) throws Exception;
  }

  /** An answer; {@code chunked}: sent with Transfer-Encoding: chunked. */
  record Reply(int status, String body, boolean chunked) {
    static final Reply OK = new Reply(200, "{}");

    Reply(int status, String body) {
      this(status, body, false);
    }
  }

  private final HttpServer server;
  private final AtomicInteger count = new AtomicInteger();
  final List<Seen> seen = new CopyOnWriteArrayList<>();

  private TestServer(HttpServer server, Answer answer) {
    this.server = server;
    server.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          seen.add(
              new Seen(
                  exchange.getRequestURI().getPath(),
                  exchange.getRequestHeaders().getFirst("Host"),
                  exchange.getRequestHeaders(),
                  exchange.getRemoteAddress().getPort()));
          Reply reply;
          try {
            reply = answer.to(count.getAndIncrement(), exchange);
          } catch (Exception e) {
            throw new IOException(e);
          }
          byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(reply.status(), reply.chunked() ? 0 : body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.start();
  }

  static TestServer http(Answer answer) throws IOException {
    return new TestServer(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0), answer);
  }

  static TestServer https(SSLContext tls, Answer answer) throws IOException {
    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    return new TestServer(server, answer);
  }

  int port() {
    return server.getAddress().getPort();
  }

  String url(String scheme) {
    return scheme + "://127.0.0.1:" + port();
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
