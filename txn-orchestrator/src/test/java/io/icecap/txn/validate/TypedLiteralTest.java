package io.icecap.txn.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.txn.record.TypedLiteral;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every literal submit writes is a typed constant a worker accepts, and nothing else is. */
class TypedLiteralTest {
  @Test
  void everyLiteralSubmitWritesIsAccepted() {
    List<Object> values =
        Arrays.asList(
            null,
            true,
            false,
            (byte) 3,
            (short) -4,
            5,
            -6L,
            Long.MIN_VALUE,
            new BigInteger("123456789012345678901234567890"),
            1.5f,
            Float.NaN,
            -2.25e300,
            Double.NEGATIVE_INFINITY,
            new BigDecimal("-12.3400"),
            new BigDecimal("1e50"),
            "plain",
            "it's a 'quote' AS x)",
            "",
            'c',
            java.sql.Date.valueOf("2026-12-01"),
            java.sql.Time.valueOf("12:34:56"),
            java.sql.Timestamp.valueOf("2026-12-01 12:34:56.123456"),
            LocalDate.of(1582, 10, 10),
            LocalTime.of(1, 2, 3),
            LocalDateTime.of(2026, 12, 1, 1, 2, 3),
            OffsetDateTime.of(2026, 12, 1, 1, 2, 3, 0, ZoneOffset.ofHours(5)),
            Instant.EPOCH,
            UUID.randomUUID(),
            new byte[] {0, 39, -1},
            ByteBuffer.wrap(new byte[] {1, 2}));
    for (Object value : values) {
      String literal = ParameterLiterals.of(value, 1);
      assertThat(TypedLiteral.isLiteral(literal)).as(literal).isTrue();
    }
  }

  @Test
  void aLiteralKeepsItsTypeAndValue() {
    assertThat(TypedLiteral.parse("CAST(12 AS BIGINT)"))
        .isEqualTo(new TypedLiteral("BIGINT", "12"));
    assertThat(TypedLiteral.parse("'it''s'")).isEqualTo(new TypedLiteral("VARCHAR", "it's"));
    assertThat(TypedLiteral.parse("CAST('1.5' AS DECIMAL(3, 1))"))
        .isEqualTo(new TypedLiteral("DECIMAL(3, 1)", "1.5"));
    assertThat(TypedLiteral.parse("DATE '2026-12-01'"))
        .isEqualTo(new TypedLiteral("DATE", "2026-12-01"));
    assertThat(TypedLiteral.parse("NULL")).isEqualTo(TypedLiteral.NULL);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "(SELECT content FROM read_text('/etc/passwd'))",
        "CAST((SELECT 1) AS BIGINT)",
        "CAST(1 AS BIGINT) + 1",
        "CAST(1 AS VARCHAR)",
        "CAST('1' AS VARCHAR), (SELECT 2 AS INTEGER)",
        "CAST('a' AS DECIMAL(99, 1))",
        "CAST('a' AS DECIMAL(3, 4))",
        "'a' || 'b'",
        "'a'' OR 1 = 1",
        "'unterminated",
        "'nul\0'",
        "DATE '2026-12-01' + 1",
        "INTERVAL '1 day'",
        "current_setting('threads')",
        "1",
        "TRUE",
        "'x'::BLOB::VARCHAR",
        ""
      })
  void anythingElseIsRefused(String text) {
    assertThatThrownBy(() -> TypedLiteral.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("typed constant");
  }
}
