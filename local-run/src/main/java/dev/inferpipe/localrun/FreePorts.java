package dev.inferpipe.localrun;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports the operating system says are free now; a process restarted later keeps its port. */
public final class FreePorts {
  private FreePorts() {}

  public static int next() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  /** Whether nothing listens on {@code port} of the loopback address. */
  public static boolean isFree(int port) {
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}
