package io.icecap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScriptsTest {
  @Test
  void semicolonsInStringsNamesAndCommentsDoNotSplit() {
    Scripts.Split split =
        Scripts.split(
            "SELECT 'a;b' AS \"x;y\"; -- c; d\n/* e; f */ INSERT INTO t VALUES (1);;  SELECT 2");
    assertThat(split.statements())
        .containsExactly("SELECT 'a;b' AS \"x;y\"", "-- c; d\n/* e; f */ INSERT INTO t VALUES (1)");
    assertThat(split.rest()).isEqualTo("  SELECT 2");
    assertThat(split.restIsBlank()).isFalse();
  }

  @Test
  void anOpenStringOrCommentWaitsForMoreText() {
    Scripts.Split open = Scripts.split("SELECT 'still open;\n");
    assertThat(open.statements()).isEmpty();
    assertThat(open.rest()).isEqualTo("SELECT 'still open;\n");
    assertThat(Scripts.split("SELECT 1; /* open").statements()).isEmpty();
  }

  @Test
  void commentsAloneAreBlank() {
    assertThat(Scripts.split("SELECT 1; -- done\n").restIsBlank()).isTrue();
    assertThat(Scripts.split("-- a\n; /* b */;").statements()).isEmpty();
  }
}
