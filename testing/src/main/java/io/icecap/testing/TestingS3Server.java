package io.icecap.testing;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.Constants;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An in-process S3-API server (S3Proxy with its filesystem store) on a free port of 127.0.0.1.
 *
 * <p>Objects are real files under {@link #dataDir()}. Requests must be path style and signed with
 * AWS Signature V4 using {@link #accessKey()} and {@link #secretKey()}.
 *
 * <pre>{@code
 * try (TestingS3Server s3 = TestingS3Server.start()) {
 *   s3.createBucket("warehouse");
 *   FileIO io = CatalogUtil.loadFileIO(S3FileIO.class.getName(), s3.fileIoProperties(), null);
 * }
 * }</pre>
 */
public final class TestingS3Server implements S3Endpoint {

  /** The access key id every server accepts. */
  public static final String ACCESS_KEY = "icecap-test";

  /** The secret access key every server accepts. */
  public static final String SECRET_KEY = "icecap-test-secret";

  /** The region clients sign for. */
  public static final String REGION = "us-east-1";

  private static final String HOST = "127.0.0.1";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
  private static final String STARTED = "STARTED";

  private S3Proxy proxy;
  private final BlobStore blobStore;
  private final Path dataDir;
  private final URI endpoint;
  private S3Client client;
  private boolean closed;

  private TestingS3Server(S3Proxy proxy, BlobStore blobStore, Path dataDir) {
    this.proxy = requireNonNull(proxy, "proxy");
    this.blobStore = requireNonNull(blobStore, "blobStore");
    this.dataDir = requireNonNull(dataDir, "dataDir");
    this.endpoint = URI.create("http://" + HOST + ":" + proxy.getPort());
  }

  /**
   * Starts a server on a free port with a fresh temporary data directory.
   *
   * @throws IllegalStateException if S3Proxy does not start within 10 s
   */
  public static TestingS3Server start() {
    Path dataDir = TempDirs.create("icecap-s3-");
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", dataDir.toAbsolutePath().toString());
    properties.setProperty(Constants.PROPERTY_IDENTITY, ACCESS_KEY);
    properties.setProperty(Constants.PROPERTY_CREDENTIAL, SECRET_KEY);
    BlobStore blobStore = BlobStores.create("filesystem", properties);
    S3Proxy proxy = proxy(blobStore, 0);
    try {
      proxy.start();
      awaitStarted(proxy);
      return new TestingS3Server(proxy, blobStore, dataDir);
    } catch (Exception e) {
      try {
        proxy.stop();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      blobStore.close();
      TempDirs.deleteRecursively(dataDir);
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("S3Proxy failed to start on " + HOST, e);
    }
  }

  private static S3Proxy proxy(BlobStore blobStore, int port) {
    return S3Proxy.builder()
        .blobStore(blobStore)
        .endpoint(URI.create("http://" + HOST + ":" + port))
        .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
        // Tests finish their requests before close(); skip Jetty's graceful drain, which
        // waits for idle keep-alive connections.
        .stopTimeout(0)
        .build();
  }

  /**
   * Stops serving, keeping the objects: requests fail with connection refused until {@link
   * #restart()}.
   */
  public synchronized void stop() {
    if (closed) {
      throw new IllegalStateException("The S3 server at " + endpoint + " is closed");
    }
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("Could not stop S3Proxy at " + endpoint, e);
    }
  }

  /** Serves again on the same port, with the same objects, after {@link #stop()}. */
  public synchronized void restart() {
    if (closed) {
      throw new IllegalStateException("The S3 server at " + endpoint + " is closed");
    }
    proxy = proxy(blobStore, port());
    try {
      proxy.start();
      awaitStarted(proxy);
    } catch (Exception e) {
      throw new IllegalStateException("Could not restart S3Proxy at " + endpoint, e);
    }
  }

  private static void awaitStarted(S3Proxy proxy) throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!STARTED.equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "S3Proxy did not reach state STARTED within "
                + START_TIMEOUT.toSeconds()
                + " s (state: "
                + proxy.getState()
                + ")");
      }
      Thread.sleep(10);
    }
  }

  /** Returns {@code http://127.0.0.1:<port>}. */
  @Override
  public URI endpoint() {
    return endpoint;
  }

  /** Returns {@value #ACCESS_KEY}. */
  @Override
  public String accessKey() {
    return ACCESS_KEY;
  }

  /** Returns {@value #SECRET_KEY}. */
  @Override
  public String secretKey() {
    return SECRET_KEY;
  }

  /** Returns {@value #REGION}. */
  @Override
  public String region() {
    return REGION;
  }

  /** Returns the TCP port. */
  public int port() {
    return endpoint.getPort();
  }

  /** Returns the directory holding the buckets: one subdirectory per bucket, a file per object. */
  public Path dataDir() {
    return dataDir;
  }

  /** {@inheritDoc} */
  @Override
  public synchronized S3Client s3Client() {
    if (closed) {
      throw new IllegalStateException("The S3 server at " + endpoint + " is closed");
    }
    if (client == null) {
      client = S3Clients.create(this);
    }
    return client;
  }

  /** Stops the server, closes the shared client and deletes the data directory. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (client != null) {
        client.close();
      }
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("Could not stop S3Proxy at " + endpoint, e);
    } finally {
      blobStore.close();
      TempDirs.deleteRecursively(dataDir);
    }
  }

  @Override
  public String toString() {
    return "TestingS3Server[" + endpoint + ", data in " + dataDir + "]";
  }
}
