package io.icecap.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/** Picks free TCP ports on 127.0.0.1, never handing out the same port twice in one JVM. */
final class FreePorts {

  private static final int MAX_ATTEMPTS = 50;
  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private FreePorts() {}

  /** Returns a port that was free on 127.0.0.1 a moment ago and was not returned before. */
  static synchronized int pick() {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      int port;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        socket.setReuseAddress(true);
        port = socket.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(
            "Could not bind a probe socket on 127.0.0.1 to find a free port; is the loopback"
                + " interface up?",
            e);
      }
      if (HANDED_OUT.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException(
        "Could not find a free port on 127.0.0.1 after " + MAX_ATTEMPTS + " attempts");
  }
}
