package io.icecap.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UpdateBatchTest {
  @Test
  void keyedUpdatesBecomeOneJoin() {
    UpdateBatch.Shape shape =
        UpdateBatch.shapeOf(
            "UPDATE rows AS \"items\" SET v = v + ?, s = ? WHERE id = ? AND (part = ?)");
    assertThat(shape).isNotNull();
    assertThat(shape.keys()).containsExactly(2, 3);
    assertThat(shape.parameters()).isEqualTo(4);
    assertThat(shape.update())
        .isEqualTo(
            "UPDATE rows AS \"items\" SET v = v + icecap_b.icecap_p0, s = icecap_b.icecap_p1"
                + " FROM icecap_batch AS icecap_b WHERE id = icecap_b.icecap_p2 AND (part ="
                + " icecap_b.icecap_p3)");
    assertThat(shape.count())
        .isEqualTo(
            "SELECT icecap_b.icecap_idx, count(*) FROM rows AS \"items\", icecap_batch AS"
                + " icecap_b WHERE id = icecap_b.icecap_p2 AND (part = icecap_b.icecap_p3)"
                + " GROUP BY ALL");
  }

  @Test
  void otherShapesAreAppliedOneAtATime() {
    assertThat(UpdateBatch.shapeOf("UPDATE rows SET v = ? WHERE id > ?")).isNull();
    assertThat(UpdateBatch.shapeOf("UPDATE rows SET v = ? WHERE id = ? OR id = 3")).isNull();
    assertThat(UpdateBatch.shapeOf("UPDATE rows SET v = ? WHERE id = ? AND v % 2 = 0")).isNull();
    assertThat(UpdateBatch.shapeOf("UPDATE rows SET v = ? WHERE id = 7")).isNull();
    assertThat(UpdateBatch.shapeOf("UPDATE rows SET id = ? WHERE id = ?"))
        .as("a key that changes would let later records see earlier ones")
        .isNull();
    assertThat(UpdateBatch.shapeOf("UPDATE rows SET v = ?")).isNull();
    assertThat(UpdateBatch.shapeOf("DELETE FROM rows WHERE id = ?")).isNull();
    assertThat(UpdateBatch.shapeOf("not sql at all")).isNull();
  }
}
