package io.icecap.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/** How a compared value becomes a planning filter: exact, widened, or none. */
class PruningTest {
  private static QueryConstants.Value instant(String micros) {
    return new QueryConstants.Value(
        QueryConstants.Kind.INSTANT, new BigDecimal(micros), 0, false, null, false);
  }

  private static QueryConstants.Value number(String value) {
    return QueryConstants.Value.number(new BigDecimal(value));
  }

  private static QueryConstants.Value floating(double value, boolean float32) {
    return new QueryConstants.Value(
        QueryConstants.Kind.FLOATING, null, value, float32, null, false);
  }

  private static String filter(
      org.apache.iceberg.types.Type type, String op, QueryConstants.Value... values) {
    Expression expression = Pruning.predicate("c", type, op, List.of(values));
    return expression == null ? "none" : expression.toString();
  }

  @Test
  void aTimestampOnTheColumnsGridIsExact() {
    Types.TimestampType ts = Types.TimestampType.withoutZone();
    assertThat(filter(ts, ">", instant("-1"))).isEqualTo("ref(name=\"c\") > -1");
    assertThat(filter(ts, "=", instant("0"))).isEqualTo("ref(name=\"c\") == 0");
  }

  @Test
  void aSubMicrosecondTimestampWidensToTheMicrosecondsAroundIt() {
    Types.TimestampType ts = Types.TimestampType.withoutZone();
    assertThat(filter(ts, ">", instant("-0.5"))).isEqualTo("ref(name=\"c\") >= -1");
    assertThat(filter(ts, "<", instant("-0.5"))).isEqualTo("ref(name=\"c\") <= 0");
    assertThat(filter(ts, "=", instant("-0.5")))
        .isEqualTo("(ref(name=\"c\") >= -1 and ref(name=\"c\") <= 0)");
  }

  @Test
  void aTimestampAgainstADateColumnWidensToTheDaysAroundIt() {
    // 1969-12-31 12:00 is day -1 and a half
    assertThat(filter(Types.DateType.get(), ">=", instant("-43200000000")))
        .isEqualTo("ref(name=\"c\") >= -1");
    assertThat(filter(Types.DateType.get(), "<", instant("-43200000000")))
        .isEqualTo("ref(name=\"c\") <= 0");
  }

  @Test
  void fractionsAgainstIntegersAndDecimalsOfLessScaleWiden() {
    assertThat(filter(Types.IntegerType.get(), "<=", number("1.5")))
        .isEqualTo("ref(name=\"c\") <= 2");
    assertThat(filter(Types.LongType.get(), "IN", number("2"), number("2.5")))
        .isEqualTo("(ref(name=\"c\") == 2 or (ref(name=\"c\") >= 2 and ref(name=\"c\") <= 3))");
    assertThat(filter(Types.DecimalType.of(9, 2), ">", number("1.005")))
        .isEqualTo("ref(name=\"c\") >= 1.00");
  }

  @Test
  void valuesOutsideTheColumnsTypeAndInexactFloatsDoNotPrune() {
    assertThat(filter(Types.IntegerType.get(), "=", number("3000000000"))).isEqualTo("none");
    assertThat(filter(Types.DecimalType.of(3, 1), "=", number("1000"))).isEqualTo("none");
    assertThat(filter(Types.LongType.get(), "=", floating(9007199254740993.0, false)))
        .isEqualTo("none");
    assertThat(filter(Types.DecimalType.of(9, 2), "=", floating(0.1, false))).isEqualTo("none");
    assertThat(filter(Types.DoubleType.get(), "=", floating(Double.NaN, false))).isEqualTo("none");
    assertThat(filter(Types.StringType.get(), "=", number("1"))).isEqualTo("none");
  }

  @Test
  void floatingColumnsWidenByUnitsInTheLastPlaceAndKeepNaNAbove() {
    String greater = filter(Types.DoubleType.get(), ">", number("0"));
    assertThat(greater).contains(">= -1.0E-323").contains("is_nan");
    assertThat(filter(Types.FloatType.get(), "<=", floating(1.5, false)))
        .isEqualTo("ref(name=\"c\") <= " + Math.nextUp(Math.nextUp(1.5f)));
  }
}
