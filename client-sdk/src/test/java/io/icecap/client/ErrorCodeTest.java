package io.icecap.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {
  @Test
  void everyCodeIsUniqueAndEverySqlStateHasFiveCharacters() {
    assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::code))
        .doesNotHaveDuplicates()
        .allSatisfy(code -> assertThat(code).isBetween(1000, 1999));
    assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::sqlState))
        .allSatisfy(state -> assertThat(state).matches("[0-9A-Z]{5}"));
  }

  @Test
  void codesKeepTheirMeaning() {
    // a code, once published, never changes: clients compare against these numbers
    assertThat(ErrorCode.SYNTAX_ERROR.code()).isEqualTo(1001);
    assertThat(ErrorCode.UNKNOWN_TABLE.code()).isEqualTo(1002);
    assertThat(ErrorCode.WRITE_REFUSED.code()).isEqualTo(1007);
    assertThat(ErrorCode.WRITE_ABORTED.code()).isEqualTo(1008);
    assertThat(ErrorCode.CONNECTION_FAILED.code()).isEqualTo(1011);
    assertThat(ErrorCode.WRITE_OUTCOME_UNKNOWN.code()).isEqualTo(1022);
    assertThat(ErrorCode.WRITE_OUTCOME_UNKNOWN.sqlState()).isEqualTo("08007");
    assertThat(ErrorCode.PERMISSION_DENIED.code()).isEqualTo(1023);
    assertThat(ErrorCode.INVALID_PROPERTY.code()).isEqualTo(1024);
    assertThat(ErrorCode.BUSY.code()).isEqualTo(1025);
    assertThat(ErrorCode.INTERNAL.code()).isEqualTo(1099);
  }
}
