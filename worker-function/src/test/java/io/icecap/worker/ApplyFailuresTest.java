package io.icecap.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A record's own failures abort it; the environment's fail the job and are retried. */
class ApplyFailuresTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "Conversion Error: Could not convert string 'x' to INT64",
        "Constraint Error: NOT NULL constraint failed: rows.id",
        "Binder Error: Referenced column \"nope\" not found",
        "Catalog Error: Table with name icecap_state does not exist!",
        "Permission Error: Cannot access file \"/etc/passwd\"",
        "Out of Range Error: Overflow in multiplication of INT32",
        "Invalid Input Error: Map keys must be unique",
        "Parser Error: syntax error at or near \"x\""
      })
  void whatARecordSaysIsItsOwnFault(String message) {
    assertThat(ApplyFailures.environment(new SQLException(message))).isFalse();
    assertThat(
            ApplyFailures.environment(
                new SQLException(
                    "Cannot apply UPDATE 1 of transaction 4", new SQLException(message))))
        .isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "IO Error: Could not write file \"/w/replicas/p.duckdb\": No space left on device",
        "Out of Memory Error: failed to allocate data of size 64.0 MiB",
        "INTERRUPT Error: Interrupted!",
        "INTERNAL Error: Attempted to access index 3 within vector of size 3",
        "FATAL Error: Failed: database has been invalidated because of a previous fatal error",
        "Invalid Input Error: database has been invalidated because of a previous fatal error"
      })
  void whatTheMachineSaysIsTheEnvironments(String message) {
    assertThat(ApplyFailures.environment(new SQLException(message))).isTrue();
    assertThat(
            ApplyFailures.environment(
                new SQLException(
                    "Cannot apply UPDATE 1 of transaction 4", new SQLException(message))))
        .isTrue();
  }

  @Test
  void javaFailuresAreTheRecordsUnlessTheyAreInputOrOutput() {
    assertThat(ApplyFailures.environment(new IllegalStateException("a bad literal"))).isFalse();
    assertThat(ApplyFailures.environment(new UncheckedIOException(new IOException("disk"))))
        .isTrue();
    assertThat(
            ApplyFailures.environment(
                new IllegalStateException("wrapped", new IOException("connection reset"))))
        .isTrue();
  }
}
