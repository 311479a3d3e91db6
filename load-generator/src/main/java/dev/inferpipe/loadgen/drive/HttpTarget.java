package dev.inferpipe.loadgen.drive;

import dev.inferpipe.loadgen.trace.TraceEntry;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * POSTs each request to {@code /v2/models/<model>/infer} of the ingress over a pool of keep-alive
 * HTTP/1.1 connections, one thread each. A plain socket client: on two cores the JDK's HttpClient
 * managed about a fifth of wrk's request rate, this one is meant not to be the bottleneck. Requests
 * wait in a queue when every connection is busy; their latency still counts from their intended
 * send time.
 *
 * <p>Owns its connection threads.
 */
final class HttpTarget implements Target {
  private static final Pattern ERROR_CODE = Pattern.compile("\"error_code\"\\s*:\\s*\"([A-Z_]+)\"");
  private static final Job STOP = new Job(null, null);

  private record Job(TraceEntry entry, CompletableFuture<Outcome> outcome) {}

  private final URI base;
  private final BlockingQueue<Job> jobs = new LinkedBlockingQueue<>();
  private final List<Thread> connections = new ArrayList<>();

  HttpTarget(String base, int connections) {
    this.base = URI.create(base);
    if (this.base.getHost() == null) {
      throw new IllegalArgumentException("--target must look like http://HOST:PORT, was " + base);
    }
    for (int i = 0; i < connections; i++) {
      Thread thread = new Thread(this::serve, "http-connection-" + i);
      thread.setDaemon(true);
      this.connections.add(thread);
      thread.start();
    }
  }

  @Override
  public CompletableFuture<Outcome> send(TraceEntry entry) {
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    jobs.add(new Job(entry, outcome));
    return outcome;
  }

  /** One keep-alive connection and its buffered input, which must live as long as it does. */
  private static final class Connection {
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    boolean closing; // the server said "Connection: close"

    Connection(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new BufferedInputStream(socket.getInputStream(), 65536);
      this.out = socket.getOutputStream();
    }
  }

  private void serve() {
    Connection connection = null;
    try {
      for (Job job; (job = jobs.take()) != STOP; ) {
        try {
          if (connection == null) {
            connection = connect();
          }
          Outcome outcome = exchange(connection, job.entry());
          if (connection.closing) {
            close(connection);
            connection = null;
          }
          job.outcome().complete(outcome);
        } catch (IOException | RuntimeException e) {
          close(connection);
          connection = null;
          job.outcome()
              .complete(
                  new Outcome(
                      0,
                      e instanceof ConnectException
                          ? "connect-error"
                          : e instanceof SocketTimeoutException ? "client-timeout" : "io-error"));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      close(connection);
    }
  }

  private Connection connect() throws IOException {
    Socket socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(
        new InetSocketAddress(base.getHost(), base.getPort() < 0 ? 80 : base.getPort()), 5000);
    return new Connection(socket);
  }

  private Outcome exchange(Connection connection, TraceEntry entry) throws IOException {
    connection.socket.setSoTimeout((int) entry.timeoutMs() + 5000);
    String head =
        "POST /v2/models/"
            + entry.model()
            + "/infer HTTP/1.1\r\nHost: "
            + base.getHost()
            + "\r\nContent-Type: application/json\r\nInference-Timeout-Ms: "
            + entry.timeoutMs()
            + "\r\nContent-Length: "
            + entry.body().length
            + "\r\n\r\n";
    OutputStream out = connection.out;
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[headBytes.length + entry.body().length];
    System.arraycopy(headBytes, 0, request, 0, headBytes.length);
    System.arraycopy(entry.body(), 0, request, headBytes.length, entry.body().length);
    out.write(request);
    out.flush();
    InputStream in = connection.in;
    String status = line(in);
    if (status == null || status.length() < 12) {
      throw new IOException("connection closed");
    }
    int code = Integer.parseInt(status.substring(9, 12));
    int length = -1;
    boolean chunked = false;
    for (String header; (header = line(in)) != null && !header.isEmpty(); ) {
      String lower = header.toLowerCase(java.util.Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(lower.substring(15).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      } else if (lower.startsWith("connection:") && lower.contains("close")) {
        connection.closing = true; // the server ends keep-alive after this answer
      }
    }
    byte[] body = chunked ? chunked(in) : in.readNBytes(Math.max(0, length));
    if (code == 200) {
      return Outcome.OK;
    }
    Matcher error = ERROR_CODE.matcher(new String(body, StandardCharsets.UTF_8));
    return new Outcome(code, error.find() ? error.group(1) : null);
  }

  private static byte[] chunked(InputStream in) throws IOException {
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    while (true) {
      int size = Integer.parseInt(line(in).split(";")[0].trim(), 16);
      if (size == 0) {
        line(in);
        return body.toByteArray();
      }
      body.write(in.readNBytes(size));
      line(in);
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b; (b = in.read()) != -1; ) {
      if (b == '\n') {
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r'
            ? line.substring(0, end - 1)
            : line.toString();
      }
      line.append((char) b);
    }
    if (line.length() == 0) {
      return null;
    }
    throw new IOException("connection closed mid-line");
  }

  private static void close(Connection connection) {
    if (connection != null) {
      try {
        connection.socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  @Override
  public String describe() {
    return base + " (" + connections.size() + " connections)";
  }

  @Override
  public void close() {
    connections.forEach(c -> jobs.add(STOP));
  }
}
