package dev.inferpipe.loadgen.drive;

import dev.inferpipe.loadgen.trace.TraceEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * POSTs each request to {@code <path>/v2/models/<model>/infer} of the target URL over a pool of
 * keep-alive HTTP/1.1 connections (TLS for {@code https://}), one thread each. A plain socket
 * client: on two cores the JDK's HttpClient managed about a fifth of wrk's request rate, this one
 * is meant not to be the bottleneck. Requests wait in a queue when every connection is busy; their
 * latency still counts from their intended send time. A request sent from a connection's own answer
 * callback (a closed-loop caller's next request) stays on that connection.
 *
 * <p>A request that fails on a reused connection before any byte of its answer came back (the
 * server had closed the idle connection) is sent once more on a new connection, and marked retried.
 *
 * <p>Owns its connection threads.
 */
final class HttpTarget implements Target {
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Job STOP = new Job(null, null);

  private record Job(TraceEntry entry, CompletableFuture<Outcome> outcome) {}

  /** What a request's head depends on besides its body's length. */
  private record HeadKey(String model, long timeoutMs) {}

  private final URI url;
  private final String host;
  private final int port;
  private final String pathPrefix;
  private final String fixedHeaders;
  private final SSLSocketFactory tls;
  private final boolean verifyHost;
  private final Map<HeadKey, byte[]> heads = new ConcurrentHashMap<>();
  private final BlockingQueue<Job> jobs = new LinkedBlockingQueue<>();
  private final List<Thread> threads = new ArrayList<>();

  /**
   * @param url {@code http[s]://HOST[:PORT][/PATH]}; requests go to {@code PATH/v2/models/...}
   * @param connections how many keep-alive connections, each with its thread
   * @param options headers sent with every request, and TLS without certificate checks
   */
  HttpTarget(String url, int connections, HttpOptions options) {
    this.url = URI.create(url);
    String scheme = this.url.getScheme();
    if (this.url.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))) {
      throw new IllegalArgumentException(
          "--target must look like http[s]://HOST[:PORT][/PATH], was " + url);
    }
    if (connections < 1) {
      throw new IllegalArgumentException("--connections must be at least 1, was " + connections);
    }
    boolean secure = "https".equals(scheme);
    this.host = this.url.getHost();
    this.port = this.url.getPort() >= 0 ? this.url.getPort() : secure ? 443 : 80;
    String path = this.url.getRawPath() == null ? "" : this.url.getRawPath();
    this.pathPrefix = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    this.fixedHeaders = fixedHeaders(options.headers(), host, this.url.getPort());
    this.tls = secure ? socketFactory(options.insecure()) : null;
    this.verifyHost = !options.insecure();
    for (int i = 0; i < connections; i++) {
      Lane lane = new Lane("http-connection-" + i);
      threads.add(lane);
      lane.start();
    }
  }

  /** Host (with the port when the URL names one), then the user's headers, then Content-Type. */
  private static String fixedHeaders(List<String> headers, String host, int port) {
    StringBuilder head = new StringBuilder("Host: ").append(host);
    if (port >= 0) {
      head.append(':').append(port);
    }
    head.append("\r\n");
    boolean contentType = false;
    for (String header : headers) {
      int colon = header.indexOf(':');
      String name = colon < 0 ? "" : header.substring(0, colon).trim();
      String value = colon < 0 ? "" : header.substring(colon + 1).trim();
      if (!HEADER_NAME.matcher(name).matches()
          || value.indexOf('\r') >= 0
          || value.indexOf('\n') >= 0) {
        throw new IllegalArgumentException(
            "--header must look like 'Name: value', was '" + header + "'");
      }
      contentType |= name.equalsIgnoreCase("Content-Type");
      head.append(name).append(": ").append(value).append("\r\n");
    }
    if (!contentType) {
      head.append("Content-Type: application/json\r\n");
    }
    return head.toString();
  }

  private static SSLSocketFactory socketFactory(boolean insecure) {
    try {
      if (!insecure) {
        return SSLContext.getDefault().getSocketFactory();
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new TrustingEveryone()}, null);
      return context.getSocketFactory();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no TLS: " + e.getMessage(), e);
    }
  }

  /** {@code --insecure}: accepts any server certificate (self-signed, other host). */
  private static final class TrustingEveryone implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  @Override
  public CompletableFuture<Outcome> send(TraceEntry entry) {
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    Job job = new Job(entry, outcome);
    if (!(Thread.currentThread() instanceof Lane lane) || lane.owner() != this || !lane.keep(job)) {
      jobs.add(job);
    }
    return outcome;
  }

  @Override
  public void checkReachable() throws IOException {
    try {
      connect().socket.close();
    } catch (IOException e) {
      throw new IOException("cannot reach " + url + ": " + failure(e).label(), e);
    }
  }

  /**
   * One keep-alive connection and the thread that drives it; a job sent from its own answer
   * callback is kept for it.
   */
  private final class Lane extends Thread {
    private final AnswerReader answers = new AnswerReader();
    private byte[] request = new byte[4096];
    private Connection connection;
    private Job next;
    private boolean answering;

    Lane(String name) {
      super(name);
      setDaemon(true);
    }

    HttpTarget owner() {
      return HttpTarget.this;
    }

    @Override
    public void run() {
      try {
        for (Job job = take(); job != STOP; job = take()) {
          Outcome outcome = attempt(job.entry());
          answering = true;
          try {
            job.outcome().complete(outcome);
          } finally {
            answering = false;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        drop();
      }
    }

    private Job take() throws InterruptedException {
      Job job = next;
      next = null;
      return job != null ? job : jobs.take();
    }

    boolean keep(Job job) {
      if (!answering || next != null) {
        return false;
      }
      next = job;
      return true;
    }

    private Outcome attempt(TraceEntry entry) {
      boolean retried = false;
      while (true) {
        boolean reused = connection != null && connection.served > 0;
        boolean answerStarted = false;
        try {
          if (connection == null) {
            connection = connect();
            answers.reset(connection.in);
          }
          connection.socket.setSoTimeout((int) entry.timeoutMs() + 5000);
          write(entry);
          answerStarted = answers.fill() > 0;
          Outcome outcome = answers.read();
          connection.served++;
          if (answers.closing()) {
            drop();
          }
          return retried ? outcome.withRetried() : outcome;
        } catch (IOException | RuntimeException e) {
          drop();
          boolean stale = reused && !answerStarted && !(e instanceof SocketTimeoutException);
          if (stale && !retried) {
            retried = true;
            continue;
          }
          Outcome failed = failure(e);
          return retried ? failed.withRetried() : failed;
        }
      }
    }

    /** The request in one write: its cached head, the body's length, the body. */
    private void write(TraceEntry entry) throws IOException {
      byte[] head =
          heads.computeIfAbsent(
              new HeadKey(entry.model(), entry.timeoutMs()), HttpTarget.this::head);
      byte[] length = Integer.toString(entry.body().length).getBytes(StandardCharsets.US_ASCII);
      int size = head.length + length.length + 4 + entry.body().length;
      if (request.length < size) {
        request = new byte[Math.max(size, 2 * request.length)];
      }
      System.arraycopy(head, 0, request, 0, head.length);
      System.arraycopy(length, 0, request, head.length, length.length);
      int at = head.length + length.length;
      request[at++] = '\r';
      request[at++] = '\n';
      request[at++] = '\r';
      request[at++] = '\n';
      System.arraycopy(entry.body(), 0, request, at, entry.body().length);
      connection.out.write(request, 0, size);
      connection.out.flush();
    }

    private void drop() {
      if (connection != null) {
        try {
          connection.socket.close();
        } catch (IOException e) {
          // closing anyway
        }
        connection = null;
      }
    }
  }

  /** A request's head up to its Content-Length's value. */
  private byte[] head(HeadKey key) {
    return ("POST "
            + pathPrefix
            + "/v2/models/"
            + key.model()
            + "/infer HTTP/1.1\r\n"
            + fixedHeaders
            + "Inference-Timeout-Ms: "
            + key.timeoutMs()
            + "\r\nContent-Length: ")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** An open connection: plain or TLS. */
  private static final class Connection {
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    int served;

    Connection(Socket socket) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
      this.out = socket.getOutputStream();
    }
  }

  private Connection connect() throws IOException {
    Socket socket = new Socket();
    socket.setTcpNoDelay(true);
    try {
      socket.connect(new InetSocketAddress(host, port), 5000);
      if (tls == null) {
        return new Connection(socket);
      }
      SSLSocket secure = (SSLSocket) tls.createSocket(socket, host, port, true);
      if (verifyHost) {
        SSLParameters parameters = secure.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        secure.setSSLParameters(parameters);
      }
      secure.setSoTimeout(10_000);
      secure.startHandshake();
      return new Connection(secure);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** The outcome of a request that got no answer: the failure's kind, and its reason. */
  private static Outcome failure(Exception e) {
    String kind =
        e instanceof ConnectException
            ? "connect-error"
            : e instanceof SocketTimeoutException
                ? "client-timeout"
                : e instanceof SSLException ? "tls-error" : "io-error";
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (reason.length() > 60) {
      reason = reason.substring(0, 57) + "...";
    }
    return new Outcome(0, kind + (kind.equals("client-timeout") ? "" : " (" + reason + ")"));
  }

  @Override
  public String describe() {
    return url + " (" + threads.size() + " connections)";
  }

  @Override
  public void close() {
    threads.forEach(t -> jobs.add(STOP));
  }
}
