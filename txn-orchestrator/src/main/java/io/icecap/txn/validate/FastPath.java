package io.icecap.txn.validate;

import io.icecap.replica.DuckDbReplica;
import io.icecap.txn.record.PartitionValues;
import io.icecap.txn.record.RecordStatement;
import io.icecap.txn.sql.DmlKind;
import io.icecap.txn.sql.DmlParser;
import io.icecap.txn.sql.DmlStatement;
import io.icecap.txn.sql.FunctionCall;
import io.icecap.txn.sql.InsertSource;
import io.icecap.txn.sql.Parameter;
import io.icecap.txn.sql.PartitionPredicates;
import io.icecap.txn.sql.SimplePredicate;
import io.icecap.txn.sql.SqlRewriter;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.iceberg.PartitionData;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.transforms.Transform;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.DateTimeUtil;

/**
 * Validation without DuckDB for a statement text already validated with parameters of the same Java
 * types. Binding, names, refusals and type-level errors depend only on the text and the parameters'
 * types, so they hold again; what depends on values is redone here: NOT NULL columns, the
 * partitions of inserted rows and the routing of updates (computed with Iceberg's own transforms),
 * and string parameters, which are allowed only where DuckDB binds them as VARCHAR (a string cast
 * to another type could fail on its value).
 *
 * <p>Only simple shapes qualify: positional parameters, no time or volatile functions; an INSERT
 * whose VALUES rows are all parameters; an UPDATE or DELETE whose equality and IN conjuncts on
 * partition columns compare with parameters of the column's exact type.
 */
final class FastPath {
  private static final Pattern PARAMETER_ROWS =
      Pattern.compile(
          "(?is)\\s*VALUES\\s*\\(\\s*\\?(\\s*,\\s*\\?)*\\s*\\)"
              + "(\\s*,\\s*\\(\\s*\\?(\\s*,\\s*\\?)*\\s*\\))*\\s*;?\\s*");

  private final DmlKind kind;
  private final String template;
  private final List<Parameter> parameters;
  private final int width;
  private final List<Types.NestedField> columns;
  private final Map<Integer, List<Integer>> routingParameters;
  private final PartitionSpec spec;

  private FastPath(
      DmlKind kind,
      String template,
      List<Parameter> parameters,
      int width,
      List<Types.NestedField> columns,
      Map<Integer, List<Integer>> routingParameters,
      PartitionSpec spec) {
    this.kind = kind;
    this.template = template;
    this.parameters = parameters;
    this.width = width;
    this.columns = columns;
    this.routingParameters = routingParameters;
    this.spec = spec;
  }

  /** The cache key: the text and the parameters' Java types. */
  static String key(String sql, List<Object> values) {
    StringBuilder key = new StringBuilder(sql);
    for (Object value : values) {
      key.append('\0').append(value == null ? "null" : value.getClass().getName());
    }
    return key.toString();
  }

  /**
   * The fast path of a statement that just passed full validation with these values, or null when
   * its shape does not qualify.
   */
  static FastPath of(
      String sql,
      List<Object> values,
      Schema schema,
      PartitionSpec spec,
      Function<String, String> stability,
      Connection strict)
      throws SQLException {
    DmlStatement statement = DmlParser.parse(sql);
    if (statement.parameters().isEmpty()
        || statement.parameters().stream().anyMatch(p -> p.number().isPresent())
        || values.contains(null)) {
      return null;
    }
    for (FunctionCall call : statement.functionCalls()) {
      String level = stability.apply(call.simpleName());
      if (call.niladic() || (level != null && !level.equals("CONSISTENT"))) {
        return null;
      }
    }
    String target =
        statement.kind() == DmlKind.INSERT
            ? RecordStatement.INSERT_STAGING
            : statement.alias().isPresent()
                ? DuckDbReplica.ROWS
                : DuckDbReplica.ROWS
                    + " AS "
                    + SqlRewriter.quoteIdentifier(statement.target().lastPart());
    String template =
        SqlRewriter.rewrite(
            sql, List.of(new SqlRewriter.Replacement(statement.target().span(), target)));
    DmlStatement parsed = DmlParser.parse(template);
    List<String> types = parameterTypes(strict, template);
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i) instanceof CharSequence && !"VARCHAR".equals(types.get(i))) {
        return null;
      }
    }
    if (parsed.kind() == DmlKind.INSERT) {
      return insert(parsed, values, schema, spec);
    }
    return updateOrDelete(parsed, values, schema, spec);
  }

  private static FastPath insert(
      DmlStatement statement, List<Object> values, Schema schema, PartitionSpec spec) {
    if (statement.insertSource().orElse(null) != InsertSource.VALUES
        || statement.onConflict()
        || statement.hasReturning()) {
      return null;
    }
    String sql = statement.sql();
    int valuesAt = sql.toUpperCase(Locale.ROOT).indexOf("VALUES", statement.target().span().end());
    if (valuesAt < 0 || !PARAMETER_ROWS.matcher(sql.substring(valuesAt)).matches()) {
      return null;
    }
    List<Types.NestedField> columns = new ArrayList<>();
    if (statement.insertColumns().isEmpty()) {
      columns.addAll(schema.columns());
    } else {
      for (String name : statement.insertColumns()) {
        Types.NestedField field = schema.caseInsensitiveFindField(name);
        if (field == null || !schema.columns().contains(field)) {
          return null;
        }
        columns.add(field);
      }
      for (Types.NestedField field : schema.columns()) {
        if (field.isRequired() && !columns.contains(field)) {
          return null;
        }
      }
    }
    if (values.size() % columns.size() != 0) {
      return null;
    }
    for (PartitionField field : spec.fields()) {
      int column = columns.indexOf(schema.findField(field.sourceId()));
      if (column < 0) {
        return null;
      }
      for (int i = column; i < values.size(); i += columns.size()) {
        if (!exactType(values.get(i), schema.findField(field.sourceId()).type())) {
          return null;
        }
      }
    }
    return new FastPath(
        DmlKind.INSERT, sql, statement.parameters(), columns.size(), columns, Map.of(), spec);
  }

  private static FastPath updateOrDelete(
      DmlStatement statement, List<Object> values, Schema schema, PartitionSpec spec) {
    Map<Integer, List<Integer>> routing = new LinkedHashMap<>();
    Set<Integer> sources = new LinkedHashSet<>();
    spec.fields().forEach(f -> sources.add(f.sourceId()));
    for (SimplePredicate predicate : PartitionPredicates.conjuncts(statement)) {
      if (predicate.operator() != SimplePredicate.Operator.EQUAL
          && predicate.operator() != SimplePredicate.Operator.IN) {
        continue;
      }
      Types.NestedField column = schema.caseInsensitiveFindField(predicate.column());
      if (column == null || !sources.contains(column.fieldId())) {
        continue;
      }
      List<Integer> indexes = new ArrayList<>();
      for (SimplePredicate.Operand operand : predicate.operands()) {
        if (operand.parameterIndex().isEmpty() || !operand.text().equals("?")) {
          return null;
        }
        int index = operand.parameterIndex().getAsInt();
        if (!exactType(values.get(index), column.type())) {
          return null;
        }
        indexes.add(index);
      }
      if (routing.containsKey(column.fieldId())) {
        return null;
      }
      routing.put(column.fieldId(), indexes);
    }
    return new FastPath(
        statement.kind(), statement.sql(), statement.parameters(), 0, List.of(), routing, spec);
  }

  /**
   * The log form of the statement with these values, or null when a value needs the full validation
   * (a NULL in a required column).
   *
   * @param partitions receives the values of the partitions an insert writes
   */
  RecordStatement record(
      List<Object> values, Map<String, List<String>> partitions, ValidationLimits limits) {
    List<SqlRewriter.Replacement> replacements = new ArrayList<>(values.size());
    List<String> literals = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      String literal = ParameterLiterals.of(values.get(i), i + 1);
      literals.add(literal);
      replacements.add(new SqlRewriter.Replacement(parameters.get(i).span(), literal));
    }
    String sql = SqlRewriter.rewrite(template, replacements);
    if (kind != DmlKind.INSERT) {
      return new RecordStatement(kind, sql, null, null, routing(values), template, literals);
    }
    if (sql.length() > limits.stageAboveChars()) {
      return null;
    }
    Map<String, Long> inserts = new LinkedHashMap<>();
    for (int row = 0; row < values.size(); row += width) {
      for (int c = 0; c < width; c++) {
        if (values.get(row + c) == null && columns.get(c).isRequired()) {
          return null;
        }
      }
      PartitionData partition = new PartitionData(spec.partitionType());
      for (int f = 0; f < spec.fields().size(); f++) {
        PartitionField field = spec.fields().get(f);
        Types.NestedField source = spec.schema().findField(field.sourceId());
        Object value = values.get(row + columns.indexOf(source));
        partition.set(f, apply(field, source.type(), value));
      }
      String key = PartitionValues.key(spec, partition);
      inserts.merge(key, 1L, Long::sum);
      partitions.putIfAbsent(key, PartitionValues.toJson(spec, partition));
    }
    return new RecordStatement(DmlKind.INSERT, sql, null, inserts, null, template, literals);
  }

  private Map<String, List<String>> routing(List<Object> values) {
    if (routingParameters.isEmpty()) {
      return null;
    }
    Map<String, List<String>> routing = new LinkedHashMap<>();
    for (int f = 0; f < spec.fields().size(); f++) {
      PartitionField field = spec.fields().get(f);
      List<Integer> indexes = routingParameters.get(field.sourceId());
      if (indexes == null) {
        continue;
      }
      Type type = spec.schema().findField(field.sourceId()).type();
      Set<String> allowed = new LinkedHashSet<>();
      for (int index : indexes) {
        PartitionData partition = new PartitionData(spec.partitionType());
        partition.set(f, apply(field, type, values.get(index)));
        allowed.add(PartitionValues.humanValue(spec, partition, f));
      }
      routing.put(field.name(), new ArrayList<>(allowed));
    }
    return routing;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object apply(PartitionField field, Type type, Object value) {
    if (value == null) {
      return null;
    }
    return ((Transform) field.transform()).bind(type).apply(internal(value));
  }

  private static Object internal(Object value) {
    if (value instanceof LocalDate date) {
      return (int) date.toEpochDay();
    }
    if (value instanceof LocalDateTime dateTime) {
      return DateTimeUtil.microsFromTimestamp(dateTime);
    }
    if (value instanceof OffsetDateTime dateTime) {
      return DateTimeUtil.microsFromTimestamptz(dateTime);
    }
    return value;
  }

  /** Whether a Java value is exactly of an Iceberg type's Java form, so no cast is involved. */
  private static boolean exactType(Object value, Type type) {
    switch (type.typeId()) {
      case INTEGER:
        return value instanceof Integer;
      case LONG:
        return value instanceof Long;
      case STRING:
        return value instanceof String;
      case BOOLEAN:
        return value instanceof Boolean;
      case DATE:
        return value instanceof LocalDate;
      case TIMESTAMP:
        return ((Types.TimestampType) type).shouldAdjustToUTC()
            ? value instanceof OffsetDateTime
            : value instanceof LocalDateTime;
      case UUID:
        return value instanceof UUID;
      case DECIMAL:
        return value instanceof BigDecimal decimal
            && decimal.scale() == ((Types.DecimalType) type).scale()
            && decimal.precision() <= ((Types.DecimalType) type).precision();
      default:
        return false;
    }
  }

  private static List<String> parameterTypes(Connection strict, String sql) throws SQLException {
    try (PreparedStatement prepared = strict.prepareStatement(sql)) {
      ParameterMetaData metadata = prepared.getParameterMetaData();
      List<String> types = new ArrayList<>();
      for (int i = 1; i <= metadata.getParameterCount(); i++) {
        types.add(metadata.getParameterTypeName(i));
      }
      return types;
    }
  }
}
