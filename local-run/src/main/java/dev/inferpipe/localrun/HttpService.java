package dev.inferpipe.localrun;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A running worker or ingress: its process and its HTTP port (health, metrics, the APIs). */
public final class HttpService implements AutoCloseable {
  /** How long a service may take to say it is ready; a first MiniLM start converts the model. */
  public static final Duration READY_LIMIT = Duration.ofSeconds(240);

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private final ServiceProcess process;
  private final int port;

  public HttpService(ServiceProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  public ServiceProcess process() {
    return process;
  }

  public int port() {
    return port;
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Waits until {@code /v2/health/ready} says 200; fails at once, with its log, if it exited. */
  public HttpService awaitReady() {
    await(process.name() + " ready")
        .atMost(READY_LIMIT)
        .pollInterval(Duration.ofMillis(200))
        .until(this::isReady);
    return this;
  }

  /** Whether {@code /v2/health/ready} says 200; throws, with its log, if the process exited. */
  public boolean isReady() {
    if (!process.isAlive()) {
      throw new IllegalStateException(process.name() + " exited\n" + process.logTail());
    }
    return answersReady(port);
  }

  /** Whether whatever listens on {@code port} answers {@code /v2/health/ready} with 200. */
  public static boolean answersReady(int port) {
    try {
      return get(URI.create("http://127.0.0.1:" + port + "/v2/health/ready")).statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  /** GET {@code path}, with a 5 s limit. */
  public HttpResponse<String> get(String path) throws IOException {
    return get(uri().resolve(path));
  }

  private static HttpResponse<String> get(URI uri) throws IOException {
    return send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build());
  }

  static HttpResponse<String> send(HttpRequest request) throws IOException {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  @Override
  public void close() {
    process.close();
  }

  @Override
  public String toString() {
    return process + " on " + uri();
  }
}
