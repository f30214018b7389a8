package io.icecap.txn.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ValueTypesTest {
  private static final Span SPAN = new Span(0, 1);

  private static DmlStatement statement(
      DmlKind kind,
      List<String> setColumns,
      Optional<Span> where,
      List<String> insertColumns,
      Optional<InsertSource> source,
      boolean updateFrom,
      boolean deleteUsing,
      boolean onConflict) {
    return new DmlStatement(
        "x",
        kind,
        new TableName(List.of("t"), SPAN),
        Optional.empty(),
        setColumns,
        where,
        insertColumns,
        source,
        Optional.empty(),
        List.of(),
        List.of(),
        false,
        Optional.empty(),
        updateFrom,
        deleteUsing,
        onConflict);
  }

  @Test
  void statementsMustBeConsistentWithTheirKind() {
    Optional<InsertSource> values = Optional.of(InsertSource.VALUES);
    assertThatThrownBy(
            () ->
                statement(
                    DmlKind.UPDATE,
                    List.of(),
                    Optional.empty(),
                    List.of(),
                    Optional.empty(),
                    false,
                    false,
                    false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Inconsistent DML statement: only an UPDATE assigns columns");
    assertThatThrownBy(
            () ->
                statement(
                    DmlKind.DELETE,
                    List.of(),
                    Optional.empty(),
                    List.of(),
                    values,
                    false,
                    false,
                    false))
        .hasMessage("Inconsistent DML statement: only an INSERT has a source");
    assertThatThrownBy(
            () ->
                statement(
                    DmlKind.DELETE,
                    List.of(),
                    Optional.empty(),
                    List.of("a"),
                    Optional.empty(),
                    false,
                    false,
                    false))
        .hasMessage("Inconsistent DML statement: only an INSERT has a column list");
    assertThatThrownBy(
            () ->
                statement(
                    DmlKind.INSERT,
                    List.of(),
                    Optional.of(SPAN),
                    List.of(),
                    values,
                    false,
                    false,
                    false))
        .hasMessage("Inconsistent DML statement: an INSERT has no statement-level WHERE");
    assertThatThrownBy(
            () ->
                statement(
                    DmlKind.DELETE,
                    List.of(),
                    Optional.empty(),
                    List.of(),
                    Optional.empty(),
                    true,
                    false,
                    false))
        .hasMessage("Inconsistent DML statement: only an UPDATE has a FROM clause");
    assertThatThrownBy(
            () ->
                statement(
                    DmlKind.INSERT,
                    List.of(),
                    Optional.empty(),
                    List.of(),
                    values,
                    false,
                    true,
                    false))
        .hasMessage("Inconsistent DML statement: only a DELETE has a USING clause");
    assertThatThrownBy(
            () ->
                statement(
                    DmlKind.DELETE,
                    List.of(),
                    Optional.empty(),
                    List.of(),
                    Optional.empty(),
                    false,
                    false,
                    true))
        .hasMessage("Inconsistent DML statement: only an INSERT has a conflict clause");
    assertThat(
            statement(
                    DmlKind.DELETE,
                    List.of(),
                    Optional.empty(),
                    List.of(),
                    Optional.empty(),
                    false,
                    false,
                    false)
                .kind())
        .isEqualTo(DmlKind.DELETE);
  }

  @Test
  void statementsCopyTheirLists() {
    List<String> columns = new java.util.ArrayList<>(List.of("a"));
    DmlStatement statement =
        statement(
            DmlKind.UPDATE,
            columns,
            Optional.empty(),
            List.of(),
            Optional.empty(),
            false,
            false,
            false);
    columns.add("b");
    assertThat(statement.setColumns()).containsExactly("a");
  }

  @Test
  void targetSpanMustLieInsideTheText() {
    assertThatThrownBy(
            () ->
                new DmlStatement(
                    "x",
                    DmlKind.DELETE,
                    new TableName(List.of("t"), new Span(0, 5)),
                    Optional.empty(),
                    List.of(),
                    Optional.empty(),
                    List.of(),
                    Optional.empty(),
                    Optional.empty(),
                    List.of(),
                    List.of(),
                    false,
                    Optional.empty(),
                    false,
                    false,
                    false))
        .hasMessage("Inconsistent DML statement: target span lies outside the SQL text");
  }

  @Test
  void namesAndParametersAreValidated() {
    assertThatThrownBy(() -> new TableName(List.of(), SPAN))
        .hasMessage("A table name needs at least one part");
    assertThatThrownBy(() -> new FunctionCall(List.of(), SPAN, false, true))
        .hasMessage("A function name needs at least one part");
    assertThatThrownBy(() -> new FunctionCall(List.of("now"), SPAN, true, false))
        .hasMessage("A niladic keyword [now] cannot have arguments");
    assertThatThrownBy(() -> new Parameter(SPAN, OptionalInt.of(0)))
        .hasMessage("Parameter numbers start at 1, got 0");
    assertThatThrownBy(() -> new Span(-1, 0))
        .hasMessage("Invalid span [-1, 0): need 0 <= start <= end");
  }

  @Test
  void predicatesNeedTheRightNumberOfOperands() {
    SimplePredicate.Operand one = new SimplePredicate.Operand(SPAN, "1", OptionalInt.empty());
    assertThatThrownBy(
            () -> new SimplePredicate("a", SimplePredicate.Operator.BETWEEN, List.of(one), SPAN))
        .hasMessage("BETWEEN on column a needs 2 operands, got 1");
    assertThatThrownBy(
            () -> new SimplePredicate("a", SimplePredicate.Operator.IS_NULL, List.of(one), SPAN))
        .hasMessage("IS_NULL on column a needs 0 operands, got 1");
    assertThatThrownBy(() -> new SimplePredicate("a", SimplePredicate.Operator.IN, List.of(), SPAN))
        .hasMessage("IN on column a needs 1 operands, got 0");
    assertThat(
            new SimplePredicate("a", SimplePredicate.Operator.IN, List.of(one, one), SPAN)
                .operands())
        .hasSize(2);
  }
}
