package io.icecap.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.client.Consistency;
import io.icecap.client.ErrorCode;
import io.icecap.client.IcecapConfig;
import java.nio.file.Path;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class JdbcUrlTest {
  @Test
  void aLocalUrlIsEverythingInOneDirectory() throws SQLException {
    IcecapConfig config = JdbcUrl.parse("jdbc:icecap:local:/data/lake", new Properties());
    assertThat(config.embedded()).isTrue();
    assertThat(config.home()).isEqualTo(Path.of("/data/lake"));
    assertThat(config.warehouse()).isEqualTo("/data/lake/warehouse");
  }

  @Test
  void aRedisUrlTakesSettingsFromItsQueryAndFromProperties() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("s3.endpoint", "http://127.0.0.1:9000");
    properties.setProperty("workers", "7");
    properties.setProperty("user", "");
    properties.setProperty("password", "secret");
    IcecapConfig config =
        JdbcUrl.parse(
            "jdbc:icecap:redis://cache.internal:6380/2?warehouse=s3%3A%2F%2Fb%2Fw&workers=3"
                + "&consistency=LATEST&schema=shop&catalog=lake&cacheBytes=1024"
                + "&writeTimeoutMs=2500&home=/var/icecap",
            properties);
    assertThat(config.redisUri()).isEqualTo("redis://cache.internal:6380/2");
    assertThat(config.warehouse()).isEqualTo("s3://b/w");
    assertThat(config.workers()).as("the URL wins").isEqualTo(3);
    assertThat(config.consistency()).isEqualTo(Consistency.LATEST);
    assertThat(config.defaultNamespace()).isEqualTo("shop");
    assertThat(config.catalogName()).isEqualTo("lake");
    assertThat(config.cacheBytes()).isEqualTo(1024);
    assertThat(config.writeTimeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(config.home()).isEqualTo(Path.of("/var/icecap"));
    assertThat(config.catalogProperties())
        .containsEntry("s3.endpoint", "http://127.0.0.1:9000")
        .containsEntry("redis.password", "secret")
        .doesNotContainKey("redis.user");
  }

  @Test
  void aRedisUrlWithoutAHomeGetsOnePerProcess() throws SQLException {
    IcecapConfig config =
        JdbcUrl.parse("jdbc:icecap:redis://127.0.0.1:6379/?warehouse=/tmp/w", null);
    assertThat(config.redisUri()).isEqualTo("redis://127.0.0.1:6379");
    assertThat(config.home().getFileName().toString()).startsWith("icecap-jdbc-");
  }

  @Test
  void malformedUrlsAreRefusedWithWhatToWrite() {
    assertMalformed("jdbc:icecap:", "names neither local:<dir> nor redis://host:port");
    assertMalformed("jdbc:icecap:postgres://h/db", "names neither");
    assertMalformed("jdbc:icecap:local:", "no directory after local:");
    assertMalformed("jdbc:icecap:local:/d?warehouse=/w", "remove warehouse=");
    assertMalformed("jdbc:icecap:redis://h:6379", "no warehouse: add ?warehouse=");
    assertMalformed("jdbc:icecap:redis://h:6379/?warehouse=", "no warehouse");
    assertMalformed("jdbc:icecap:local:/d?workers=many", "workers 'many' is not a whole number");
    assertMalformed("jdbc:icecap:local:/d?workers=-1", "workers -1 is out of range");
    assertMalformed("jdbc:icecap:local:/d?writeTimeoutMs=0", "writeTimeoutMs 0 is out of range");
    assertMalformed("jdbc:icecap:local:/d?consistency=strong", "neither snapshot nor latest");
    assertMalformed("jdbc:icecap:local:/d?warehous=/w", "unknown setting 'warehous'");
    assertMalformed("jdbc:icecap:local:/d?workers", "setting 'workers' is not key=value");
    assertMalformed("jdbc:icecap:local:/d?schema=%zz", "is not URL-encoded correctly");
  }

  @Test
  void passwordsNeverReachMessages() {
    assertThatThrownBy(
            () ->
                JdbcUrl.parse(
                    "jdbc:icecap:redis://app:hunter2@h:6379/?password=hunter2&nope=1", null))
        .isInstanceOf(SQLException.class)
        .hasMessageNotContaining("hunter2")
        .hasMessageContaining("redis://app:***@h:6379/?password=***");
  }

  @Test
  void theDriverDescribesItsSettings() {
    DriverPropertyInfo[] info = new IcecapDriver().getPropertyInfo("jdbc:icecap:local:/d", null);
    assertThat(Arrays.stream(info).map(p -> p.name))
        .contains("warehouse", "home", "schema", "consistency", "workers");
    assertThat(Arrays.stream(info).filter(p -> p.name.equals("consistency")).findFirst())
        .hasValueSatisfying(p -> assertThat(p.choices).containsExactly("snapshot", "latest"));
  }

  @Test
  void otherDriversUrlsAreNotAccepted() throws SQLException {
    IcecapDriver driver = new IcecapDriver();
    assertThat(driver.acceptsURL("jdbc:duckdb:")).isFalse();
    assertThat(driver.acceptsURL(null)).isFalse();
    assertThat(driver.connect("jdbc:postgresql://h/db", new Properties())).isNull();
  }

  private static void assertMalformed(String url, String problem) {
    assertThatThrownBy(() -> JdbcUrl.parse(url, new Properties()))
        .as(url)
        .isInstanceOfSatisfying(
            SQLException.class,
            e -> {
              assertThat(e.getErrorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION.code());
              assertThat(e.getSQLState()).isEqualTo("HY024");
              assertThat(e.getMessage()).startsWith("Malformed Icecap JDBC URL").contains(problem);
            });
  }
}
