package io.icecap.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;

class RedisKeysTest {
  private final RedisKeys keys = new RedisKeys("prod");

  @Test
  void tableKeysShareOneHashTag() {
    TableIdentifier table = TableIdentifier.of("db", "orders");
    assertThat(keys.tableMeta(table)).isEqualTo("icecap:{prod.db.orders}:meta");
    assertThat(keys.tableKey(table, "log")).isEqualTo("icecap:{prod.db.orders}:log");
    assertThat(keys.tableStateKeys(table))
        .allSatisfy(key -> assertThat(key).startsWith("icecap:{prod.db.orders}:"));
  }

  @Test
  void tablesEncodeAndDecode() {
    TableIdentifier table = TableIdentifier.of(Namespace.of("a.b", "c:d"), "t:1{x}");
    String encoded = RedisKeys.encode(table);
    assertThat(encoded).doesNotContain("{").isEqualTo("a%2Eb.c%3Ad:t%3A1%7Bx%7D");
    assertThat(RedisKeys.decodeTable(encoded)).isEqualTo(table);
    assertThatThrownBy(() -> RedisKeys.decodeTable("no-colon"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no-colon");
  }

  @Test
  void catalogKeysShareTheCatalogTag() {
    assertThat(keys.namespaces()).isEqualTo("icecap:{prod}:namespaces");
    assertThat(keys.namespaceTables(Namespace.of("db"))).isEqualTo("icecap:{prod}:ns:db:tables");
    assertThat(keys.namespaceProperties(Namespace.of("a", "b")))
        .isEqualTo("icecap:{prod}:ns:a.b:props");
  }

  @Test
  void dotsInNamesDoNotLookLikeNesting() {
    Namespace dotted = Namespace.of("a.b");
    Namespace nested = Namespace.of("a", "b");
    assertThat(RedisKeys.encode(dotted)).isEqualTo("a%2Eb");
    assertThat(RedisKeys.encode(nested)).isEqualTo("a.b");
    assertThat(keys.tableMeta(TableIdentifier.of(dotted, "t")))
        .isNotEqualTo(keys.tableMeta(TableIdentifier.of(nested, "t")));
  }

  @Test
  void bracesAndColonsCannotBreakTheHashTag() {
    String key = keys.tableMeta(TableIdentifier.of(Namespace.of("x}y"), "t:{z}"));
    assertThat(key).isEqualTo("icecap:{prod.x%7Dy.t%3A%7Bz%7D}:meta");
    assertThat(key.indexOf('}')).isEqualTo(key.lastIndexOf('}'));
  }

  @Test
  void encodingRoundTrips() {
    Namespace[] namespaces = {
      Namespace.of("db"),
      Namespace.of("new/db"),
      Namespace.of("a.b", "c"),
      Namespace.of("ünïcödé", "日本", "emoji😀"),
      Namespace.of("100%", "spaces here", "tab\tand\nnewline"),
      Namespace.empty()
    };
    for (Namespace namespace : namespaces) {
      String encoded = RedisKeys.encode(namespace);
      assertThat(encoded).matches("[A-Za-z0-9_%.\\-]*");
      assertThat(RedisKeys.decodeNamespace(encoded)).isEqualTo(namespace);
    }
  }

  @Test
  void parentOfAnEncodedNamespace() {
    assertThat(RedisKeys.parentOf("a.b.c")).isEqualTo("a.b");
    assertThat(RedisKeys.parentOf("a%2Eb")).isEqualTo("");
  }

  @Test
  void catalogNamesAreEscapedToo() {
    assertThat(new RedisKeys("my.cat").namespaces()).isEqualTo("icecap:{my%2Ecat}:namespaces");
  }
}
