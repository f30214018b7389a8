package io.icecap.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.testing.RedisServerExtension;
import io.icecap.testing.TestingRedisServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The catalog's TLS settings against a real Redis that speaks only TLS. */
class RedisCatalogTlsIT {
  private static final long TIMEOUT_MILLIS = 2000;

  @RegisterExtension
  static final RedisServerExtension TLS = RedisServerExtension.builder().tls(true).build();

  @TempDir Path warehouse;

  @BeforeEach
  void flush() {
    TLS.flushAll();
  }

  @Test
  void fullVerificationWithTheServerCertificateCommitsAndReloads() throws Exception {
    TestingRedisServer server = TLS.server();
    Map<String, String> properties = CatalogFixtures.properties(server.uri(), warehouse);
    properties.put(
        RedisCatalogProperties.TLS_TRUSTED_CERTIFICATES, server.tlsCertificate().toString());
    assertThat(properties).doesNotContainKey(RedisCatalogProperties.TLS_VERIFY_PEER);
    assertThat(server.uri()).startsWith("rediss://");

    TableIdentifier id = TableIdentifier.of("db", "events");
    DataFile file = CatalogFixtures.dataFile("tls");
    long snapshotId;
    try (RedisCatalog catalog = CatalogFixtures.catalog(properties)) {
      catalog.createNamespace(Namespace.of("db"));
      Table table = catalog.buildTable(id, CatalogFixtures.SCHEMA).create();
      table.newAppend().appendFile(file).commit();
      snapshotId = table.currentSnapshot().snapshotId();
    }

    try (RedisCatalog reloaded = CatalogFixtures.catalog(properties)) {
      assertThat(reloaded.listNamespaces()).containsExactly(Namespace.of("db"));
      assertThat(reloaded.listTables(Namespace.of("db"))).containsExactly(id);
      Table table = reloaded.loadTable(id);
      Snapshot snapshot = table.currentSnapshot();
      assertThat(snapshot).isNotNull();
      assertThat(snapshot.snapshotId()).isEqualTo(snapshotId);
      assertThat(snapshot.addedDataFiles(table.io()))
          .extracting(DataFile::location)
          .containsExactly(file.location());
    }
  }

  @Test
  void anUntrustedCertificateIsRefused() {
    TestingRedisServer server = TLS.server();
    Map<String, String> properties = CatalogFixtures.properties(server.uri(), warehouse);
    properties.put(RedisCatalogProperties.CONNECT_TIMEOUT_MS, Long.toString(TIMEOUT_MILLIS));
    properties.put(RedisCatalogProperties.TIMEOUT_MS, Long.toString(TIMEOUT_MILLIS));

    assertThatThrownBy(() -> CatalogFixtures.catalog(properties))
        .isInstanceOf(RedisCatalogException.class)
        .hasMessageContaining("Cannot connect in catalog test")
        .hasMessageContaining("the TLS handshake with Redis at rediss://127.0.0.1:" + server.port())
        .hasMessageContaining("set redis.tls.trusted-certificates to a PEM file")
        // The JDK's PKIX validator: the JVM's default trust store lacks the self-signed
        // certificate.
        .hasMessageContaining("unable to find valid certification path to requested target")
        .satisfies(
            e ->
                assertThat(causes(e))
                    .anyMatch(cause -> cause instanceof SSLHandshakeException)
                    .anyMatch(cause -> String.valueOf(cause.getMessage()).contains("PKIX")));
  }

  @Test
  void noVerificationWorksWithoutACertificate() {
    Map<String, String> properties = CatalogFixtures.properties(TLS.server().uri(), warehouse);
    properties.put(RedisCatalogProperties.TLS_VERIFY_PEER, "none");

    TableIdentifier id = TableIdentifier.of("unverified", "t");
    try (RedisCatalog catalog = CatalogFixtures.catalog(properties)) {
      catalog.createNamespace(Namespace.of("unverified"));
      catalog.buildTable(id, CatalogFixtures.SCHEMA).create();
      assertThat(catalog.tableExists(id)).isTrue();
      assertThat(catalog.loadTable(id).schema().asStruct())
          .isEqualTo(CatalogFixtures.SCHEMA.asStruct());
    }
  }

  @Test
  void plainTextToTheTlsPortFailsWithinTheTimeouts() {
    TestingRedisServer server = TLS.server();
    String plain = "redis://127.0.0.1:" + server.port();
    Map<String, String> properties = CatalogFixtures.properties(plain, warehouse);
    properties.put(RedisCatalogProperties.CONNECT_TIMEOUT_MS, Long.toString(TIMEOUT_MILLIS));
    properties.put(RedisCatalogProperties.TIMEOUT_MS, Long.toString(TIMEOUT_MILLIS));

    assertThatThrownBy(() -> CatalogFixtures.catalog(properties))
        .isInstanceOf(RedisCatalogException.class)
        .hasMessageContaining("Cannot connect in catalog test")
        .hasMessageContaining("Redis at " + plain)
        .hasMessageContaining("If the server only accepts TLS, use rediss://");
  }

  private static List<Throwable> causes(Throwable e) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      chain.add(cause);
    }
    return chain;
  }
}
