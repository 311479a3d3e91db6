package dev.inferpipe.loadgen.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The trivial endpoint {@code ./loadgen bench-self} drives: answers every HTTP/1.1 request with
 * {@code 200 {}} on keep-alive connections, one thread each, doing nothing else. Run as its own
 * process so that it does not share the load generator's JVM; prints its port on the first line.
 */
public final class TrivialEndpoint {
  private static final byte[] ANSWER =
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
          .getBytes(StandardCharsets.US_ASCII);

  private TrivialEndpoint() {}

  public static void main(String[] args) throws IOException {
    try (ServerSocket listener = new ServerSocket(0, 512, InetAddress.getLoopbackAddress())) {
      System.out.println(listener.getLocalPort());
      System.out.flush();
      while (true) {
        Socket socket = listener.accept();
        Thread thread = new Thread(() -> serve(socket), "connection");
        thread.setDaemon(true);
        thread.start();
      }
    }
  }

  private static void serve(Socket socket) {
    try (socket) {
      socket.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(socket.getInputStream(), 16384);
      OutputStream out = socket.getOutputStream();
      while (true) {
        int length = 0;
        StringBuilder line = new StringBuilder();
        boolean headEnded = false;
        for (int b; !headEnded && (b = in.read()) != -1; ) {
          if (b != '\n') {
            if (b != '\r') {
              line.append((char) b);
            }
            continue;
          }
          if (line.isEmpty()) {
            headEnded = true;
          } else if (line.length() > 15
              && line.substring(0, 15).equalsIgnoreCase("content-length:")) {
            length = Integer.parseInt(line.substring(15).trim());
          }
          line.setLength(0);
        }
        if (!headEnded) {
          return; // the client closed the connection
        }
        in.skipNBytes(length);
        out.write(ANSWER);
        out.flush();
      }
    } catch (IOException e) {
      // the client went away
    }
  }
}
