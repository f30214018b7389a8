package io.icecap.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.testing.RedisServerExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NotFoundException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of bad input or broken environment gives an error naming the object and the cause. */
class RedisCatalogErrorsIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  @RegisterExtension
  static final RedisServerExtension SECURED =
      RedisServerExtension.builder()
          .password("default-secret")
          .aclUser("icecap", "user-secret")
          .build();

  @RegisterExtension
  static final RedisServerExtension CLUSTER =
      RedisServerExtension.builder().config("cluster-enabled yes").build();

  @TempDir Path warehouse;

  @BeforeEach
  void flush() {
    REDIS.flushAll();
  }

  @Test
  void unreachableRedis() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String uri = "redis://127.0.0.1:" + port;
    Map<String, String> properties = CatalogFixtures.properties(uri, warehouse);
    properties.put(RedisCatalogProperties.CONNECT_TIMEOUT_MS, "2000");
    assertThatThrownBy(() -> CatalogFixtures.catalog(properties))
        .isInstanceOf(RedisCatalogException.class)
        .hasMessageContaining("Cannot connect in catalog test")
        .hasMessageContaining("cannot reach Redis at " + uri)
        .hasMessageContaining("Check that the server is running")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("use rediss://"));
  }

  @Test
  void clusterModeIsRefusedUpFront() {
    assertThatThrownBy(() -> CatalogFixtures.catalog(CLUSTER.server().uri(), warehouse))
        .isInstanceOf(RedisCatalogException.class)
        .hasMessageContaining(
            "Cannot use Redis at redis://127.0.0.1:"
                + CLUSTER.server().port()
                + " for catalog test")
        .hasMessageContaining("cluster mode")
        .hasMessageContaining("Use a standalone Redis");
  }

  @Test
  void wrongPassword() {
    String uri = SECURED.server().uri("icecap", "not-the-password");
    assertThatThrownBy(() -> CatalogFixtures.catalog(uri, warehouse))
        .isInstanceOf(RedisCatalogException.class)
        .hasMessageContaining("refused the credentials")
        .hasMessageContaining("redis://127.0.0.1:" + SECURED.server().port())
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not-the-password"));
  }

  @Test
  void missingPassword() {
    assertThatThrownBy(() -> CatalogFixtures.catalog(SECURED.server().uri(), warehouse))
        .isInstanceOf(RedisCatalogException.class)
        .hasMessageContaining("refused the credentials")
        .hasMessageContaining("NOAUTH");
  }

  @Test
  void rightCredentialsInTheUriOrInProperties() throws IOException {
    try (RedisCatalog catalog =
        CatalogFixtures.catalog(SECURED.server().uri("icecap", "user-secret"), warehouse)) {
      catalog.createNamespace(Namespace.of("acl"));
    }
    Map<String, String> properties = CatalogFixtures.properties(SECURED.server().uri(), warehouse);
    properties.put(RedisCatalogProperties.USER, "icecap");
    properties.put(RedisCatalogProperties.PASSWORD, "user-secret");
    try (RedisCatalog catalog = CatalogFixtures.catalog(properties)) {
      assertThat(catalog.namespaceExists(Namespace.of("acl"))).isTrue();
      catalog.dropNamespace(Namespace.of("acl"));
    }
    Map<String, String> defaultUser = CatalogFixtures.properties(SECURED.server().uri(), warehouse);
    defaultUser.put(RedisCatalogProperties.PASSWORD, "default-secret");
    try (RedisCatalog catalog = CatalogFixtures.catalog(defaultUser)) {
      assertThat(catalog.listNamespaces()).isEmpty();
    }
  }

  @Test
  void namespaceKeyOfAnotherType() throws IOException {
    try (RedisCatalog catalog = CatalogFixtures.catalog(REDIS.server().uri(), warehouse);
        RawRedis raw = rawConnection()) {
      raw.sync().set("icecap:{test}:namespaces", "not a sorted set");
      assertThatThrownBy(() -> catalog.createNamespace(Namespace.of("db")))
          .isInstanceOf(RedisCatalogException.class)
          .hasMessageContaining("Cannot create namespace db in catalog test")
          .hasMessageContaining("Redis key 'icecap:{test}:namespaces'")
          .hasMessageContaining("is a string, but Icecap keeps a zset there");
      assertThat(raw.sync().get("icecap:{test}:namespaces")).isEqualTo("not a sorted set");
    }
  }

  @Test
  void tableKeyOfAnotherType() throws IOException {
    TableIdentifier id = TableIdentifier.of("db", "t");
    try (RedisCatalog catalog = CatalogFixtures.catalog(REDIS.server().uri(), warehouse);
        RawRedis raw = rawConnection()) {
      catalog.createNamespace(Namespace.of("db"));
      raw.sync().lpush("icecap:{test.db.t}:meta", "x");
      assertThatThrownBy(() -> catalog.loadTable(id))
          .isInstanceOf(RedisCatalogException.class)
          .hasMessageContaining("Cannot load table db.t (key icecap:{test.db.t}:meta)")
          .hasMessageContaining("WRONGTYPE");
      assertThatThrownBy(() -> catalog.buildTable(id, CatalogFixtures.SCHEMA).create())
          .isInstanceOf(RedisCatalogException.class)
          .hasMessageContaining("(key icecap:{test.db.t}:meta)")
          .hasMessageContaining("WRONGTYPE");

      // a script checks every key's type before it writes anything
      TableIdentifier other = TableIdentifier.of("db", "other");
      catalog.buildTable(other, CatalogFixtures.SCHEMA).create();
      assertThatThrownBy(() -> catalog.renameTable(other, id))
          .isInstanceOf(RedisCatalogException.class)
          .hasMessageContaining("Cannot rename table db.other to db.t in catalog test")
          .hasMessageContaining("Redis key 'icecap:{test.db.t}:meta'")
          .hasMessageContaining("is a list, but Icecap keeps a hash there");
      assertThat(catalog.tableExists(other)).isTrue();
      assertThat(raw.sync().lrange("icecap:{test.db.t}:meta", 0, -1)).containsExactly("x");
      catalog.dropTable(other);
      assertThat(catalog.listTables(Namespace.of("db"))).isEmpty();
    }
  }

  @Test
  void deletedMetadataFile() throws IOException {
    TableIdentifier id = TableIdentifier.of("db", "gone");
    try (RedisCatalog catalog = CatalogFixtures.catalog(REDIS.server().uri(), warehouse)) {
      catalog.createNamespace(Namespace.of("db"));
      Table table = catalog.buildTable(id, CatalogFixtures.SCHEMA).create();
      String metadata = ((HasTableOperations) table).operations().current().metadataFileLocation();
      Files.delete(Path.of(metadata));

      assertThatThrownBy(() -> catalog.loadTable(id))
          .isInstanceOf(NotFoundException.class)
          .hasMessageContaining(metadata)
          .hasMessageContaining("current metadata file of table test.db.gone");
      assertThat(catalog.tableExists(id)).isTrue();
      assertThat(catalog.dropTable(id, true)).isTrue();
      assertThat(catalog.tableExists(id)).isFalse();
    }
  }

  @Test
  void tableInAMissingOrEmptyNamespace() throws IOException {
    try (RedisCatalog catalog = CatalogFixtures.catalog(REDIS.server().uri(), warehouse)) {
      assertThatThrownBy(
              () ->
                  catalog
                      .buildTable(TableIdentifier.of("nope", "t"), CatalogFixtures.SCHEMA)
                      .create())
          .hasMessageContaining("Cannot create table nope.t: Namespace does not exist: nope");
      assertThatThrownBy(() -> catalog.createNamespace(Namespace.empty()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Cannot create the empty namespace");
      assertThatThrownBy(() -> catalog.createNamespace(Namespace.of("a", "")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("a level is empty");
      assertThatThrownBy(() -> catalog.createNamespace(Namespace.of("orphan", "child")))
          .hasMessageContaining(
              "Cannot create namespace orphan.child: its parent namespace orphan does not exist");
      assertThat(catalog.listNamespaces()).isEmpty();
    }
  }

  private static RawRedis rawConnection() {
    return new RawRedis(REDIS.server().uri());
  }
}
