package io.icecap.testing;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The self-signed certificate a TLS {@link TestingRedisServer} presents, kept in its data
 * directory, and a client-side {@link SSLContext} that trusts exactly that certificate.
 *
 * <p>The key pair and certificate are made once per data directory by the JDK's {@code keytool}
 * (RSA 2048, valid for {@value #VALIDITY_DAYS} days, SubjectAlternativeName {@code IP:127.0.0.1}
 * and {@code DNS:localhost}) into a PKCS12 key store, then exported as the PEM files redis-server
 * reads. A key store that is unreadable or close to expiry is replaced by a fresh one.
 */
final class RedisTlsCertificate {

  static final String KEYSTORE_FILE = "redis-tls.p12";
  static final String CERTIFICATE_FILE = "redis.crt";
  static final String KEY_FILE = "redis.key";

  private static final String ALIAS = "redis";
  private static final String STORE_PASSWORD = "icecap-redis-tls";
  private static final int VALIDITY_DAYS = 3;
  private static final String SUBJECT = "CN=localhost, OU=Icecap tests, O=Icecap";
  private static final String SUBJECT_ALTERNATIVE_NAMES = "SAN=IP:127.0.0.1,DNS:localhost";
  private static final Duration MIN_REMAINING_VALIDITY = Duration.ofHours(12);
  private static final Duration KEYTOOL_TIMEOUT = Duration.ofSeconds(60);

  private final Path certificateFile;
  private final Path keyFile;
  private final X509Certificate certificate;
  private final SSLContext clientContext;

  private RedisTlsCertificate(
      Path certificateFile, Path keyFile, X509Certificate certificate, SSLContext clientContext) {
    this.certificateFile = certificateFile;
    this.keyFile = keyFile;
    this.certificate = certificate;
    this.clientContext = clientContext;
  }

  /**
   * Returns the certificate of {@code dataDir}, generating it with {@code keytool} if the directory
   * has none yet (or only an unreadable or nearly expired one), and (re)writes its PEM files.
   */
  static RedisTlsCertificate inDir(Path dataDir) {
    requireNonNull(dataDir, "dataDir");
    Path keystore = dataDir.resolve(KEYSTORE_FILE);
    KeyStore store = Files.exists(keystore) ? loadReusable(keystore) : null;
    if (store == null) {
      generate(keystore);
      store = load(keystore);
    }
    try {
      X509Certificate certificate = (X509Certificate) store.getCertificate(ALIAS);
      Key key = store.getKey(ALIAS, STORE_PASSWORD.toCharArray());
      if (certificate == null || !(key instanceof PrivateKey)) {
        throw new IllegalStateException(
            "The TLS key store "
                + keystore
                + " has no private key and certificate under alias '"
                + ALIAS
                + "'; delete it and start the Redis server again to generate a new one");
      }
      Path certificateFile = dataDir.resolve(CERTIFICATE_FILE);
      Path keyFile = dataDir.resolve(KEY_FILE);
      writePem(certificateFile, "CERTIFICATE", certificate.getEncoded(), false);
      // An RSA private key's encoded form is PKCS#8 PrivateKeyInfo, which is "PRIVATE KEY" in PEM.
      writePem(keyFile, "PRIVATE KEY", key.getEncoded(), true);
      return new RedisTlsCertificate(
          certificateFile, keyFile, certificate, trustingOnly(certificate));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "Could not read the Redis TLS key and certificate from " + keystore, e);
    }
  }

  /** Returns the PEM file of the server certificate, also usable as the trusted CA file. */
  Path certificateFile() {
    return certificateFile;
  }

  /** Returns the PEM file of the server's private key (unencrypted PKCS#8). */
  Path keyFile() {
    return keyFile;
  }

  /** Returns the server certificate. */
  X509Certificate certificate() {
    return certificate;
  }

  /** Returns a TLS client context whose only trust anchor is the server certificate. */
  SSLContext clientContext() {
    return clientContext;
  }

  /** Returns the socket factory of {@link #clientContext()}. */
  SSLSocketFactory socketFactory() {
    return clientContext.getSocketFactory();
  }

  /** Loads an existing key store, or returns null if it should be replaced by a fresh one. */
  private static KeyStore loadReusable(Path keystore) {
    try {
      KeyStore store = load(keystore);
      Certificate certificate = store.getCertificate(ALIAS);
      if (certificate instanceof X509Certificate) {
        ((X509Certificate) certificate)
            .checkValidity(Date.from(Instant.now().plus(MIN_REMAINING_VALIDITY)));
        return store;
      }
    } catch (GeneralSecurityException | IllegalStateException e) {
      // Unreadable, foreign or about to expire: replaced below.
    }
    try {
      Files.delete(keystore);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not delete the unusable TLS key store " + keystore + " to generate a new one", e);
    }
    return null;
  }

  private static KeyStore load(Path keystore) {
    try (InputStream in = Files.newInputStream(keystore)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, STORE_PASSWORD.toCharArray());
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("Could not load the TLS key store " + keystore, e);
    }
  }

  private static void generate(Path keystore) {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command =
        List.of(
            keytool.toString(),
            "-genkeypair",
            "-alias",
            ALIAS,
            "-keyalg",
            "RSA",
            "-keysize",
            "2048",
            "-validity",
            Integer.toString(VALIDITY_DAYS),
            "-dname",
            SUBJECT,
            "-ext",
            SUBJECT_ALTERNATIVE_NAMES,
            "-keystore",
            keystore.toAbsolutePath().toString(),
            "-storetype",
            "PKCS12",
            "-storepass",
            STORE_PASSWORD,
            "-keypass",
            STORE_PASSWORD,
            "-noprompt");
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not run "
              + keytool
              + " to make the Redis server's TLS certificate; TLS needs a full JDK (one with"
              + " bin/keytool) as java.home",
          e);
    }
    String output;
    boolean exited;
    try (InputStream in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      exited = process.waitFor(KEYTOOL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (IOException e) {
      process.destroyForcibly();
      throw new UncheckedIOException("Could not read the output of " + keytool, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IllegalStateException("Interrupted while " + keytool + " made a certificate", e);
    }
    if (!exited) {
      process.destroyForcibly();
      throw new IllegalStateException(
          keytool + " did not finish within " + KEYTOOL_TIMEOUT.toSeconds() + " s");
    }
    if (process.exitValue() != 0 || !Files.isRegularFile(keystore)) {
      throw new IllegalStateException(
          keytool
              + " failed (exit code "
              + process.exitValue()
              + ") to make the Redis server's TLS certificate in "
              + keystore
              + ": "
              + output);
    }
  }

  private static SSLContext trustingOnly(X509Certificate certificate)
      throws GeneralSecurityException {
    KeyStore anchors = KeyStore.getInstance("PKCS12");
    try {
      anchors.load(null, null);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create an empty trust store", e);
    }
    anchors.setCertificateEntry(ALIAS, certificate);
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(anchors);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  private static void writePem(Path file, String type, byte[] der, boolean secret) {
    String base64 =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    String pem = "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
    try {
      Files.writeString(file, pem, StandardCharsets.US_ASCII);
      if (secret && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write the Redis TLS file " + file, e);
    }
  }
}
