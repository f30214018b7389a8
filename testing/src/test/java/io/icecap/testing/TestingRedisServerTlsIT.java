package io.icecap.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A TLS-only {@link TestingRedisServer}: its certificate, its clients and its life cycle. */
class TestingRedisServerTlsIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @RegisterExtension
  static final RedisServerExtension TLS =
      RedisServerExtension.builder().tls(true).appendOnly(true).build();

  @BeforeEach
  void isolate() {
    TLS.flushAll();
  }

  @Test
  void startsAndAnswersPingOverTls(TestingRedisServer server) {
    assertThat(server.isRunning()).isTrue();
    assertThat(server.isTls()).isTrue();
    assertThat(server.uri()).isEqualTo("rediss://127.0.0.1:" + server.port());
    assertThat(server.uri("us er", "p@ss"))
        .isEqualTo("rediss://us%20er:p%40ss@127.0.0.1:" + server.port());
    assertThat(server.version()).matches("\\d+\\.\\d+\\.\\d+");
    assertThat(server.logFile()).content().contains("Ready to accept connections");

    try (RespConnection redis =
        RespConnection.open(server.host(), server.port(), TIMEOUT, server.tlsSocketFactory())) {
      assertThat(redis.call("PING")).isEqualTo("PONG");
      assertThat(redis.call("SET", "greeting", "héllo")).isEqualTo("OK");
      assertThat(redis.call("GET", "greeting")).isEqualTo("héllo");
    }
    // The fixture's own connection speaks TLS too, and FLUSHALL went through it.
    try (RespConnection redis = server.connect()) {
      TLS.flushAll();
      assertThat(redis.call("DBSIZE")).isEqualTo(0L);
    }
  }

  @Test
  void tlsIsAlsoSpokenByAClientThatKnowsOnlyThePemFile(TestingRedisServer server) throws Exception {
    // Trusts the PEM file, independent of the fixture's own SSLContext, and checks the host name.
    X509Certificate certificate = readCertificate(server.tlsCertificate());
    KeyStore anchors = KeyStore.getInstance("PKCS12");
    anchors.load(null, null);
    anchors.setCertificateEntry("redis", certificate);
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(anchors);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);

    try (RespConnection redis =
        RespConnection.open(server.host(), server.port(), TIMEOUT, context.getSocketFactory())) {
      assertThat(redis.call("PING")).isEqualTo("PONG");
    }
  }

  @Test
  void certificateAndKeyArePemFilesForIpAndLocalhost(TestingRedisServer server)
      throws IOException, GeneralSecurityException {
    Path certificateFile = server.tlsCertificate();
    assertThat(certificateFile).isEqualTo(server.dataDir().resolve("redis.crt"));
    List<String> certificateLines = Files.readAllLines(certificateFile, StandardCharsets.US_ASCII);
    assertThat(certificateLines.get(0)).isEqualTo("-----BEGIN CERTIFICATE-----");
    assertThat(certificateLines.get(certificateLines.size() - 1))
        .isEqualTo("-----END CERTIFICATE-----");
    List<String> body = certificateLines.subList(1, certificateLines.size() - 1);
    assertThat(body.subList(0, body.size() - 1)).allMatch(line -> line.length() == 64);
    assertThat(body.get(body.size() - 1).length()).isBetween(1, 64);

    X509Certificate certificate = readCertificate(certificateFile);
    List<List<?>> names = new ArrayList<>();
    certificate.getSubjectAlternativeNames().forEach(names::add);
    // Type 7 is an IP address, type 2 a DNS name (RFC 5280 GeneralName).
    assertThat(names).contains(List.of(7, "127.0.0.1"), List.of(2, "localhost"));
    assertThat(certificate.getPublicKey()).isInstanceOf(RSAPublicKey.class);
    assertThat(((RSAPublicKey) certificate.getPublicKey()).getModulus().bitLength())
        .isEqualTo(2048);
    assertThat(certificate.getNotAfter().toInstant())
        .isAfter(Instant.now().plus(Duration.ofDays(1)))
        .isBefore(Instant.now().plus(Duration.ofDays(8)));

    String key = Files.readString(server.dataDir().resolve("redis.key"), StandardCharsets.US_ASCII);
    assertThat(key)
        .startsWith("-----BEGIN PRIVATE KEY-----\n")
        .endsWith("-----END PRIVATE KEY-----\n");
    byte[] der =
        Base64.getMimeDecoder()
            .decode(
                key.replace("-----BEGIN PRIVATE KEY-----", "")
                    .replace("-----END PRIVATE KEY-----", ""));
    PrivateKey privateKey =
        KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    assertThat(((RSAPrivateCrtKey) privateKey).getModulus())
        .isEqualTo(((RSAPublicKey) certificate.getPublicKey()).getModulus());
  }

  @Test
  void plainTextToTheTlsPortGetsNoValidAnswer(TestingRedisServer server) throws IOException {
    // The fixture's RESP client without TLS: the server never answers PONG.
    try (RespConnection plain = RespConnection.open(server.host(), server.port(), TIMEOUT)) {
      assertThatThrownBy(() -> plain.call("PING")).isInstanceOf(UncheckedIOException.class);
    }

    // A hand-written RESP PING: whatever comes back (a TLS alert, a reset, nothing) is not +PONG.
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(server.host(), server.port()), 2000);
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      out.write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] answer;
      try {
        answer = in.readNBytes(7);
      } catch (SocketException | SocketTimeoutException e) {
        // The server reset the connection, or said nothing: no answer at all.
        answer = new byte[0];
      }
      assertThat(new String(answer, StandardCharsets.ISO_8859_1)).isNotEqualTo("+PONG\r\n");
    }
    assertThat(server.isRunning()).isTrue();
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateIsRefused(TestingRedisServer server) {
    SSLSocketFactory jvmDefault = (SSLSocketFactory) SSLSocketFactory.getDefault();
    assertThatThrownBy(
            () -> RespConnection.open(server.host(), server.port(), TIMEOUT, jvmDefault).close())
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("over TLS")
        .hasCauseInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void killAndRestartKeepTlsTheCertificateAndTheData(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("redis-data");
    byte[] certificate;
    try (TestingRedisServer server =
        TestingRedisServer.builder().tls(true).appendOnly(true).dataDir(dir).build().start()) {
      int port = server.port();
      certificate = Files.readAllBytes(server.tlsCertificate());
      try (RespConnection redis = server.connect()) {
        for (int i = 0; i < 20; i++) {
          assertThat(redis.call("SET", "key-" + i, "value-" + i)).isEqualTo("OK");
        }
      }

      server.kill();
      assertThat(server.isRunning()).isFalse();
      assertThatThrownBy(() -> server.connect()).isInstanceOf(UncheckedIOException.class);

      server.restart();
      assertThat(server.port()).isEqualTo(port);
      assertThat(server.uri()).startsWith("rediss://");
      assertThat(Files.readAllBytes(server.tlsCertificate())).isEqualTo(certificate);
      try (RespConnection redis = server.connect()) {
        assertThat(redis.call("DBSIZE")).isEqualTo(20L);
        assertThat(redis.call("GET", "key-19")).isEqualTo("value-19");
      }
    }

    // A new server on the same data directory reuses the certificate made for it.
    try (TestingRedisServer again =
        TestingRedisServer.builder().tls(true).appendOnly(true).dataDir(dir).build().start()) {
      assertThat(Files.readAllBytes(again.tlsCertificate())).isEqualTo(certificate);
      try (RespConnection redis = again.connect()) {
        assertThat(redis.call("DBSIZE")).isEqualTo(20L);
      }
    }
  }

  @Test
  void tlsWithAPassword() {
    try (TestingRedisServer server =
        TestingRedisServer.builder().tls(true).password("tls-secret").build().start()) {
      try (RespConnection anonymous =
          RespConnection.open(server.host(), server.port(), TIMEOUT, server.tlsSocketFactory())) {
        assertThatThrownBy(() -> anonymous.call("GET", "k"))
            .isInstanceOf(RespConnection.ErrorReply.class)
            .hasMessageStartingWith("NOAUTH");
      }
      try (RespConnection redis = server.connect()) {
        assertThat(redis.call("SET", "k", "v")).isEqualTo("OK");
      }
      assertThat(server.uri("default", "tls-secret"))
          .isEqualTo("rediss://default:tls-secret@127.0.0.1:" + server.port());
    }
  }

  @Test
  void serversWithoutTlsHaveNoCertificate() {
    try (TestingRedisServer server = TestingRedisServer.builder().build()) {
      assertThat(server.isTls()).isFalse();
      assertThat(server.uri()).startsWith("redis://");
      assertThatThrownBy(server::tlsCertificate)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("does not use TLS")
          .hasMessageContaining("tls(true)");
      assertThat(server.dataDir().resolve("redis.crt")).doesNotExist();
    }
  }

  private static X509Certificate readCertificate(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (IOException | GeneralSecurityException e) {
      throw new AssertionError("Could not read the certificate " + file, e);
    }
  }
}
