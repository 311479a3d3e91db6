package dev.inferpipe.faults;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports the operating system says are free now; a process restarted later keeps its port. */
final class FreePorts {
  private FreePorts() {}

  static int next() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }
}
