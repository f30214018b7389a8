package io.icecap.testing;

import static java.util.Objects.requireNonNull;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A minimal blocking RESP2 client over a plain or TLS socket, so the fixtures can probe and drive a
 * Redis server without depending on a Redis client library.
 */
final class RespConnection implements Closeable {

  /** An error reply ({@code -ERR ...}) from the server. */
  static final class ErrorReply extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ErrorReply(String message) {
      super(message);
    }
  }

  private final String address;
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RespConnection(String address, Socket socket) throws IOException {
    this.address = requireNonNull(address, "address");
    this.socket = requireNonNull(socket, "socket");
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = new BufferedOutputStream(socket.getOutputStream());
  }

  /** Connects to {@code host:port}; {@code timeout} bounds the connect and every read. */
  static RespConnection open(String host, int port, Duration timeout) {
    return open(host, port, timeout, null);
  }

  /**
   * Connects to {@code host:port}, over TLS when {@code tls} is not null; {@code timeout} bounds
   * the connect, the TLS handshake and every read. Over TLS the server's certificate must be
   * trusted by {@code tls} and name {@code host} (HTTPS-style host name check).
   */
  static RespConnection open(String host, int port, Duration timeout, SSLSocketFactory tls) {
    String address = host + ":" + port;
    Socket socket = new Socket();
    Socket connected = socket;
    try {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout((int) timeout.toMillis());
      socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      if (tls != null) {
        SSLSocket secured = (SSLSocket) tls.createSocket(socket, host, port, true);
        connected = secured;
        SSLParameters parameters = secured.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        secured.setSSLParameters(parameters);
        secured.startHandshake();
      }
      return new RespConnection(address, connected);
    } catch (IOException e) {
      try {
        connected.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new UncheckedIOException(
          "Could not connect to Redis at " + address + (tls != null ? " over TLS" : ""), e);
    }
  }

  /**
   * Sends one command and returns its reply: a {@code String} for simple and bulk strings, a {@code
   * Long} for integers, a {@code List<Object>} for arrays and {@code null} for nil.
   *
   * @throws ErrorReply if the server answers with an error
   */
  Object call(String... args) {
    try {
      out.write(('*' + Integer.toString(args.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      for (String arg : args) {
        byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
        out.write(
            ('$' + Integer.toString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write('\r');
        out.write('\n');
      }
      out.flush();
      return readReply();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Redis command " + (args.length == 0 ? "" : args[0]) + " to " + address + " failed", e);
    }
  }

  private Object readReply() throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new EOFException("Redis at " + address + " closed the connection");
    }
    String line = readLine();
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new ErrorReply(line);
      case ':':
        return Long.parseLong(line);
      case '$':
        {
          int length = Integer.parseInt(line);
          if (length < 0) {
            return null;
          }
          byte[] data = in.readNBytes(length);
          if (data.length != length || in.read() != '\r' || in.read() != '\n') {
            throw new EOFException("Truncated bulk string from Redis at " + address);
          }
          return new String(data, StandardCharsets.UTF_8);
        }
      case '*':
        {
          int count = Integer.parseInt(line);
          if (count < 0) {
            return null;
          }
          List<Object> items = new ArrayList<>(count);
          for (int i = 0; i < count; i++) {
            try {
              items.add(readReply());
            } catch (ErrorReply e) {
              items.add(e);
            }
          }
          return items;
        }
      default:
        throw new IOException(
            "Unexpected RESP type byte '" + (char) type + "' from Redis at " + address);
    }
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("Redis at " + address + " closed the connection mid-reply");
      }
      if (b == '\r') {
        if (in.read() != '\n') {
          throw new IOException("Malformed RESP line from Redis at " + address);
        }
        return buffer.toString(StandardCharsets.UTF_8);
      }
      buffer.write(b);
    }
  }

  /** Closes the socket. */
  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not close the connection to Redis at " + address, e);
    }
  }
}
