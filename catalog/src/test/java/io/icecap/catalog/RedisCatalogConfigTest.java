package io.icecap.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Malformed configuration is refused before any connection is tried. */
class RedisCatalogConfigTest {
  private static RedisCatalog initialize(Map<String, String> properties) {
    RedisCatalog catalog = new RedisCatalog();
    catalog.initialize("cfg", properties);
    return catalog;
  }

  private static Map<String, String> withUri(String uri) {
    Map<String, String> properties = new HashMap<>();
    properties.put(CatalogProperties.WAREHOUSE_LOCATION, "/tmp/icecap-unused");
    properties.put(RedisCatalogProperties.URI, uri);
    return properties;
  }

  @Test
  void missingUri() {
    assertThatThrownBy(
            () -> initialize(Map.of(CatalogProperties.WAREHOUSE_LOCATION, "/tmp/icecap-unused")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Missing catalog property uri")
        .hasMessageContaining("redis://localhost:6379");
  }

  @Test
  void missingWarehouse() {
    assertThatThrownBy(() -> initialize(Map.of(RedisCatalogProperties.URI, "redis://localhost")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Missing catalog property warehouse");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "localhost:6379|the scheme must be redis://, rediss:// (TLS) or redis-socket://",
        "http://localhost:6379|got http://",
        "redis://|Expected redis://[user:password@]host[:port][/database]",
        "redis:///0|no host",
        "redis:// spaces are bad|Invalid catalog property uri",
        "redis://localhost/notanumber|the path must be a database number, got 'notanumber'",
        "redis://localhost:99999|Invalid catalog property uri",
      })
  void malformedUri(String uri, String expected) {
    assertThatThrownBy(() -> initialize(withUri(uri)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(expected);
  }

  @Test
  void passwordsInAMalformedUriAreNotEchoed() {
    assertThatThrownBy(() -> initialize(withUri("redis://admin:s3cret@/x y")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("redis://***@")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
  }

  @Test
  void userWithoutPassword() {
    Map<String, String> properties = withUri("redis://localhost:1");
    properties.put(RedisCatalogProperties.USER, "app");
    assertThatThrownBy(() -> initialize(properties))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("redis.user is set but redis.password is not");
  }

  @ParameterizedTest
  @CsvSource({"redis.timeout-ms,abc", "redis.timeout-ms,0", "redis.connect-timeout-ms,-5"})
  void badTimeouts(String key, String value) {
    Map<String, String> properties = withUri("redis://localhost:1");
    properties.put(key, value);
    assertThatThrownBy(() -> initialize(properties))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid catalog property " + key);
  }

  @Test
  void badTlsVerifyMode() {
    Map<String, String> properties = withUri("rediss://localhost:1");
    properties.put(RedisCatalogProperties.TLS_VERIFY_PEER, "sometimes");
    assertThatThrownBy(() -> initialize(properties))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("redis.tls.verify-peer=sometimes: expected full, ca or none");
  }

  @Test
  void missingTrustedCertificates() {
    Map<String, String> properties = withUri("rediss://localhost:1");
    properties.put(RedisCatalogProperties.TLS_TRUSTED_CERTIFICATES, "/nonexistent/ca.pem");
    assertThatThrownBy(() -> initialize(properties))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/nonexistent/ca.pem: no such file");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|give the name of the Icecap catalog to open",
        "'  '|give the name of the Icecap catalog to open",
        "' icecap'|starts or ends with white space",
        "'icecap\t'|starts or ends with white space",
        "'ice\ncap'|control character (U+000A)",
      })
  void badCatalogName(String name, String message) {
    Map<String, String> properties = withUri("redis://localhost:1");
    properties.put(
        RedisCatalogProperties.CATALOG_NAME, name.replace("\\t", "\t").replace("\\n", "\n"));
    assertThatThrownBy(() -> initialize(properties))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid catalog property icecap.catalog-name")
        .hasMessageContaining(message);
  }

  @Test
  void catalogNameTooLong() {
    Map<String, String> properties = withUri("redis://localhost:1");
    properties.put(RedisCatalogProperties.CATALOG_NAME, "c".repeat(201));
    assertThatThrownBy(() -> initialize(properties))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("icecap.catalog-name: the name has 201 characters, more than 200");
  }

  @Test
  void catalogNameDefaultsToTheEnginesName() {
    assertThat(RedisCatalogProperties.catalogName("lake", Map.of())).isEqualTo("lake");
    assertThat(
            RedisCatalogProperties.catalogName(
                "lake", Map.of(RedisCatalogProperties.CATALOG_NAME, "prod.east")))
        .isEqualTo("prod.east");
  }

  @Test
  void redactHidesCredentials() {
    assertThat(RedisConnectionSettings.redact("redis://user:pw@host:6379/0"))
        .isEqualTo("redis://***@host:6379/0");
    assertThat(RedisConnectionSettings.redact("redis://host:6379")).isEqualTo("redis://host:6379");
  }
}
