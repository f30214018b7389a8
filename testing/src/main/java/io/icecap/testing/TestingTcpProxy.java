package io.icecap.testing;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on a free port of 127.0.0.1 in front of a server, for tests of lost answers: it can
 * let a request through and then reset the client's connection instead of passing the reply on (so
 * the server ran a request whose client never learns it), and refuse connections for a while.
 *
 * <pre>{@code
 * try (TestingTcpProxy proxy = TestingTcpProxy.start(redis.host(), redis.port())) {
 *   proxy.loseReplyTo("marker", false);   // the next request holding "marker" runs, unanswered
 *   ...
 * }
 * }</pre>
 */
public final class TestingTcpProxy implements Closeable {
  private static final String HOST = "127.0.0.1";

  private final InetSocketAddress target;
  private final int port;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final AtomicInteger lostReplies = new AtomicInteger();
  private volatile byte[] marker;
  private volatile boolean refuseAfterLoss;
  private ServerSocket listener;
  private boolean closed;

  private TestingTcpProxy(InetSocketAddress target, int port) {
    this.target = requireNonNull(target, "target");
    this.port = port;
  }

  /** Starts a proxy to {@code host:port}; it accepts connections at once. */
  public static TestingTcpProxy start(String host, int port) {
    TestingTcpProxy proxy =
        new TestingTcpProxy(new InetSocketAddress(host, port), FreePorts.pick());
    proxy.accept();
    return proxy;
  }

  /** The port the proxy listens on, the same for its whole life. */
  public int port() {
    return port;
  }

  /** The host the proxy listens on: {@code 127.0.0.1}. */
  public String host() {
    return HOST;
  }

  /**
   * Arms the proxy once: the next request (bytes from a client) holding {@code marker} goes to the
   * server, and the reply that comes back is dropped and the client's connection reset instead.
   * With {@code thenRefuse}, from that moment on the proxy refuses connections (and resets the open
   * ones) until {@link #accept()}.
   */
  public void loseReplyTo(String marker, boolean thenRefuse) {
    requireNonNull(marker, "marker");
    this.refuseAfterLoss = thenRefuse;
    this.marker = marker.getBytes(StandardCharsets.UTF_8);
  }

  /** How many replies the proxy has dropped. */
  public int lostReplies() {
    return lostReplies.get();
  }

  /** Listens again (after {@link #refuse()}) on the same port; does nothing when listening. */
  public synchronized void accept() {
    if (closed) {
      throw new IllegalStateException("The proxy on port " + port + " is closed");
    }
    if (listener != null) {
      return;
    }
    try {
      ServerSocket socket = new ServerSocket();
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
      listener = socket;
      Thread thread = new Thread(() -> acceptLoop(socket), "icecap-tcp-proxy-" + port);
      thread.setDaemon(true);
      thread.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot listen on " + HOST + ":" + port, e);
    }
  }

  /**
   * Stops listening, so that connecting is refused, and resets every open connection; {@link
   * #accept()} listens again.
   */
  public synchronized void refuse() {
    if (listener != null) {
      closeQuietly(listener);
      listener = null;
    }
    links.forEach(Link::reset);
  }

  @Override
  public synchronized void close() {
    refuse();
    closed = true;
  }

  private void acceptLoop(ServerSocket socket) {
    while (!socket.isClosed()) {
      Socket client;
      try {
        client = socket.accept();
      } catch (IOException e) {
        return;
      }
      Socket server = new Socket();
      try {
        server.connect(target, 5_000);
      } catch (IOException e) {
        closeQuietly(client);
        closeQuietly(server);
        continue;
      }
      Link link = new Link(client, server);
      links.add(link);
      link.start();
    }
  }

  /** One client connection and its connection to the server. */
  private final class Link {
    private final Socket client;
    private final Socket server;
    private volatile boolean loseNextReply;

    Link(Socket client, Socket server) {
      this.client = client;
      this.server = server;
    }

    void start() {
      Thread up = new Thread(this::requests, "icecap-tcp-proxy-up-" + port);
      Thread down = new Thread(this::replies, "icecap-tcp-proxy-down-" + port);
      up.setDaemon(true);
      down.setDaemon(true);
      up.start();
      down.start();
    }

    private void requests() {
      byte[] buffer = new byte[64 * 1024];
      byte[] tail = new byte[0];
      try (InputStream in = client.getInputStream();
          OutputStream out = server.getOutputStream()) {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          byte[] armed = marker;
          if (armed != null) {
            // a marker may straddle two reads: look at the end of the last one too
            byte[] window = new byte[tail.length + n];
            System.arraycopy(tail, 0, window, 0, tail.length);
            System.arraycopy(buffer, 0, window, tail.length, n);
            if (contains(window, armed)) {
              marker = null;
              // before the request goes out, so that its reply cannot slip through
              loseNextReply = true;
            } else {
              int keep = Math.min(window.length, armed.length - 1);
              tail = java.util.Arrays.copyOfRange(window, window.length - keep, window.length);
            }
          }
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // either side went away: the link ends
      } finally {
        reset();
      }
    }

    private void replies() {
      byte[] buffer = new byte[64 * 1024];
      try (InputStream in = server.getInputStream();
          OutputStream out = client.getOutputStream()) {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          if (loseNextReply) {
            lostReplies.incrementAndGet();
            if (refuseAfterLoss) {
              refuse();
            }
            reset();
            return;
          }
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // either side went away: the link ends
      } finally {
        reset();
      }
    }

    /** Closes both sides, the client's with a reset (RST) rather than an orderly end. */
    void reset() {
      links.remove(this);
      try {
        client.setSoLinger(true, 0);
      } catch (IOException e) {
        // closed already
      }
      closeQuietly(client);
      closeQuietly(server);
    }
  }

  private static boolean contains(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= data.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static void closeQuietly(Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      // nothing left to release
    }
  }
}
