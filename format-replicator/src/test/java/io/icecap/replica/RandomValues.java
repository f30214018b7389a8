package io.icecap.replica;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Values of Iceberg types in the Java classes of Iceberg's generic {@link Record}: the edge cases
 * of every type first, then random values from a seeded {@link Random}.
 */
final class RandomValues {
  private static final LocalDateTime EPOCH = LocalDateTime.of(1970, 1, 1, 0, 0);
  private static final LocalDate MIN_DATE = LocalDate.of(1, 1, 1);
  private static final LocalDate MAX_DATE = LocalDate.of(9999, 12, 31);
  private static final LocalDateTime MIN_TIMESTAMP = MIN_DATE.atStartOfDay();
  private static final LocalDateTime MAX_TIMESTAMP = LocalDateTime.of(9999, 12, 31, 23, 59, 59);

  /** DuckDB's TIMESTAMP_NS range: int64 nanoseconds, less the two infinities. */
  static final LocalDateTime MIN_TIMESTAMP_NS = nanos(-Long.MAX_VALUE + 1);

  static final LocalDateTime MAX_TIMESTAMP_NS = nanos(Long.MAX_VALUE - 1);

  private final Random random;

  RandomValues(long seed) {
    this.random = new Random(seed);
  }

  /** The edge cases of a primitive type: extremes, zeros, empties and awkward values. */
  static List<Object> edgeCases(Type.PrimitiveType type) {
    switch (type.typeId()) {
      case BOOLEAN:
        return List.of(true, false);
      case INTEGER:
        return List.of(Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1, 1);
      case LONG:
        return List.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L, 1L);
      case FLOAT:
        return List.of(
            Float.NaN,
            Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY,
            0.0f,
            -0.0f,
            Float.MIN_VALUE,
            -Float.MIN_VALUE,
            Float.MIN_NORMAL,
            Float.MAX_VALUE,
            -Float.MAX_VALUE,
            1.1f,
            -123.456f);
      case DOUBLE:
        return List.of(
            Double.NaN,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            0.0,
            -0.0,
            Double.MIN_VALUE,
            -Double.MIN_VALUE,
            Double.MIN_NORMAL,
            Double.MAX_VALUE,
            -Double.MAX_VALUE,
            0.1,
            -1e-300);
      case DECIMAL:
        Types.DecimalType decimal = (Types.DecimalType) type;
        BigInteger max = BigInteger.TEN.pow(decimal.precision()).subtract(BigInteger.ONE);
        return List.of(
            new BigDecimal(max, decimal.scale()),
            new BigDecimal(max.negate(), decimal.scale()),
            new BigDecimal(BigInteger.ZERO, decimal.scale()),
            new BigDecimal(BigInteger.ONE, decimal.scale()),
            new BigDecimal(BigInteger.ONE.negate(), decimal.scale()));
      case DATE:
        return List.of(
            MIN_DATE,
            MAX_DATE,
            LocalDate.of(1970, 1, 1),
            LocalDate.of(1969, 12, 31),
            LocalDate.of(1582, 10, 4),
            LocalDate.of(1582, 10, 15),
            LocalDate.of(2000, 2, 29));
      case TIME:
        return List.of(
            LocalTime.MIDNIGHT,
            LocalTime.of(23, 59, 59, 999_999_000),
            LocalTime.of(0, 0, 0, 1_000),
            LocalTime.NOON);
      case TIMESTAMP:
        if (((Types.TimestampType) type).shouldAdjustToUTC()) {
          return List.of(
              EPOCH.atOffset(ZoneOffset.UTC),
              MIN_TIMESTAMP.atOffset(ZoneOffset.UTC),
              MAX_TIMESTAMP.withNano(999_999_000).atOffset(ZoneOffset.UTC),
              OffsetDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000, ZoneOffset.UTC),
              OffsetDateTime.of(2026, 3, 29, 2, 30, 0, 0, ZoneOffset.ofHoursMinutes(5, 30)),
              OffsetDateTime.of(1900, 1, 1, 0, 0, 0, 1_000, ZoneOffset.ofHours(-14)));
        }
        return List.of(
            EPOCH,
            MIN_TIMESTAMP,
            MAX_TIMESTAMP.withNano(999_999_000),
            LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000),
            LocalDateTime.of(1582, 10, 10, 12, 0));
      case TIMESTAMP_NANO:
        return List.of(
            EPOCH,
            MIN_TIMESTAMP_NS,
            MAX_TIMESTAMP_NS,
            LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_999),
            LocalDateTime.of(2020, 1, 1, 0, 0, 0, 1));
      case STRING:
        return List.of(
            "",
            " ",
            "'",
            "''",
            "\"",
            "\\",
            "\\x00",
            "a\nb\tc\r",
            "nul\u0000in\u0000the middle",
            "\u0000",
            "ünïcödé 日本語 한국어 Ελληνικά",
            "😀👍🏽👨‍👩‍👧",
            "e\u0301 != é",
            "שלום عربى",
            "\uFFFF\uDBFF\uDFFF",
            "x".repeat(10_000),
            "😀".repeat(3_000));
      case UUID:
        return List.of(
            new UUID(0, 0),
            new UUID(-1, -1),
            new UUID(Long.MIN_VALUE, 0),
            new UUID(Long.MAX_VALUE, -1),
            UUID.fromString("6f1e2c1a-3b4d-4e5f-8a9b-0c1d2e3f4a5b"));
      case FIXED:
        int length = ((Types.FixedType) type).length();
        byte[] ones = new byte[length];
        Arrays.fill(ones, (byte) 0xFF);
        byte[] mixed = new byte[length];
        mixed[0] = (byte) 0x80;
        mixed[length - 1] = 0x01;
        return List.of(new byte[length], ones, mixed);
      case BINARY:
        byte[] large = new byte[1_000];
        Arrays.fill(large, (byte) 0xFF);
        return List.of(
            ByteBuffer.allocate(0),
            ByteBuffer.wrap(new byte[] {0}),
            ByteBuffer.wrap(new byte[] {0, 0, 0}),
            ByteBuffer.wrap(new byte[] {(byte) 0xFF, 0, (byte) 0xFF}),
            ByteBuffer.wrap("\\x41'".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
            ByteBuffer.wrap(large));
      default:
        throw new IllegalArgumentException("No edge cases for " + type);
    }
  }

  /**
   * A value of {@code type}: null with some probability when {@code optional}, else an edge case or
   * a random value.
   */
  Object value(Type type, boolean optional) {
    if (optional && random.nextInt(8) == 0) {
      return null;
    }
    if (type.isPrimitiveType()) {
      Type.PrimitiveType primitive = type.asPrimitiveType();
      if (random.nextInt(3) == 0) {
        List<Object> edges = edgeCases(primitive);
        return edges.get(random.nextInt(edges.size()));
      }
      return randomPrimitive(primitive);
    }
    switch (type.typeId()) {
      case STRUCT:
        Types.StructType struct = type.asStructType();
        Record record = GenericRecord.create(struct);
        for (int i = 0; i < struct.fields().size(); i++) {
          Types.NestedField field = struct.fields().get(i);
          record.set(i, value(field.type(), field.isOptional()));
        }
        return record;
      case LIST:
        Types.ListType list = type.asListType();
        int size = random.nextInt(4) == 0 ? 0 : random.nextInt(5);
        List<Object> elements = new ArrayList<>();
        for (int i = 0; i < size; i++) {
          elements.add(value(list.elementType(), list.isElementOptional()));
        }
        return elements;
      case MAP:
        Types.MapType map = type.asMapType();
        int entries = random.nextInt(4) == 0 ? 0 : random.nextInt(4);
        Map<Object, Object> result = new LinkedHashMap<>();
        for (int i = 0; i < entries; i++) {
          result.put(value(map.keyType(), false), value(map.valueType(), map.isValueOptional()));
        }
        return result;
      default:
        throw new IllegalArgumentException("No values for " + type);
    }
  }

  private Object randomPrimitive(Type.PrimitiveType type) {
    switch (type.typeId()) {
      case BOOLEAN:
        return random.nextBoolean();
      case INTEGER:
        return random.nextInt();
      case LONG:
        return random.nextLong();
      case FLOAT:
        // every bit pattern: subnormals, NaNs with payloads, infinities
        return random.nextBoolean()
            ? Float.intBitsToFloat(random.nextInt())
            : (float) (random.nextGaussian() * 1000);
      case DOUBLE:
        return random.nextBoolean()
            ? Double.longBitsToDouble(random.nextLong())
            : random.nextGaussian() * 1e6;
      case DECIMAL:
        Types.DecimalType decimal = (Types.DecimalType) type;
        BigInteger bound = BigInteger.TEN.pow(random.nextInt(decimal.precision()) + 1);
        BigInteger unscaled = new BigInteger(bound.bitLength() + 8, random).mod(bound);
        return new BigDecimal(random.nextBoolean() ? unscaled : unscaled.negate(), decimal.scale());
      case DATE:
        return LocalDate.ofEpochDay(between(MIN_DATE.toEpochDay(), MAX_DATE.toEpochDay()));
      case TIME:
        return LocalTime.ofNanoOfDay(between(0, 86_400_000_000L - 1) * 1_000);
      case TIMESTAMP:
        if (((Types.TimestampType) type).shouldAdjustToUTC()) {
          Instant instant =
              Instant.EPOCH.plus(
                  between(-2_208_988_800_000_000L, 4_102_444_800_000_000L), ChronoUnit.MICROS);
          ZoneOffset offset = ZoneOffset.ofTotalSeconds(15 * 60 * (random.nextInt(113) - 56));
          return instant.atOffset(offset);
        }
        return micros(between(micros(MIN_TIMESTAMP), micros(MAX_TIMESTAMP)));
      case TIMESTAMP_NANO:
        long nanos;
        do {
          nanos = random.nextLong();
        } while (nanos < -Long.MAX_VALUE + 1 || nanos > Long.MAX_VALUE - 1);
        return nanos(nanos);
      case STRING:
        return randomString();
      case UUID:
        return new UUID(random.nextLong(), random.nextLong());
      case FIXED:
        byte[] fixed = new byte[((Types.FixedType) type).length()];
        random.nextBytes(fixed);
        return fixed;
      case BINARY:
        byte[] bytes = new byte[random.nextInt(40)];
        random.nextBytes(bytes);
        return ByteBuffer.wrap(bytes);
      default:
        throw new IllegalArgumentException("No random values for " + type);
    }
  }

  private static final int[][] CODE_POINT_RANGES = {
    {0x20, 0x7E}, // ASCII, quotes and backslashes included
    {0xA0, 0x24F}, // Latin-1 and Latin Extended
    {0x300, 0x36F}, // combining diacritical marks
    {0x4E00, 0x9FFF}, // CJK
    {0xE000, 0xFFFF}, // private use up to the last BMP code point
    {0x1F300, 0x1F6FF}, // emoji
    {0x10000, 0x10FFFF}, // anything beyond the BMP
    {0x0, 0x1F}, // control characters, NUL included
  };

  private String randomString() {
    int length = random.nextInt(10) == 0 ? random.nextInt(500) : random.nextInt(20);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      int[] range = CODE_POINT_RANGES[random.nextInt(CODE_POINT_RANGES.length)];
      text.appendCodePoint(range[0] + random.nextInt(range[1] - range[0] + 1));
    }
    return text.toString();
  }

  private long between(long min, long max) {
    return min + Math.floorMod(random.nextLong(), max - min + 1);
  }

  private static long micros(LocalDateTime timestamp) {
    return ChronoUnit.MICROS.between(EPOCH, timestamp);
  }

  private static LocalDateTime micros(long micros) {
    return EPOCH.plus(micros, ChronoUnit.MICROS);
  }

  private static LocalDateTime nanos(long nanos) {
    return EPOCH.plus(nanos, ChronoUnit.NANOS);
  }
}
