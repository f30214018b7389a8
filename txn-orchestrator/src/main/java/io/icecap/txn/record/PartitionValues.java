package io.icecap.txn.record;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionData;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.SingleValueParser;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Partition keys, values and routing checks under one partition spec, shared by submit and apply.
 */
public final class PartitionValues {
  private PartitionValues() {}

  /** The partition's key: its Iceberg path ({@code day=2026-11-20}), empty when unpartitioned. */
  public static String key(PartitionSpec spec, StructLike partition) {
    return spec.isPartitioned() ? spec.partitionToPath(partition) : "";
  }

  /** The partition's values in Iceberg's single-value JSON form. */
  public static List<String> toJson(PartitionSpec spec, StructLike partition) {
    List<String> values = new ArrayList<>();
    List<Types.NestedField> fields = spec.partitionType().fields();
    for (int i = 0; i < fields.size(); i++) {
      Object value = partition.get(i, Object.class);
      values.add(value == null ? "null" : SingleValueParser.toJson(fields.get(i).type(), value));
    }
    return values;
  }

  /**
   * The partition whose values {@link #toJson} gave. Parsed by Iceberg from the text, so that no
   * Jackson type crosses into Iceberg: its Spark runtime relocates Jackson (see benchmarks-spark).
   */
  public static PartitionData fromJson(PartitionSpec spec, List<String> values) {
    List<Types.NestedField> fields = spec.partitionType().fields();
    if (values.size() != fields.size()) {
      throw new IllegalStateException(
          "Partition values " + values + " do not match partition spec " + spec);
    }
    PartitionData partition = new PartitionData(spec.partitionType());
    for (int i = 0; i < fields.size(); i++) {
      try {
        partition.set(i, SingleValueParser.fromJson(fields.get(i).type(), values.get(i)));
      } catch (UncheckedIOException e) {
        throw new IllegalStateException("Malformed partition value " + values.get(i), e);
      }
    }
    return partition;
  }

  /**
   * Whether a partition's values are allowed by a statement's routing (field name to the values the
   * field may have, as Iceberg prints them); a null routing allows every partition.
   */
  public static boolean allows(
      PartitionSpec spec, StructLike partition, Map<String, List<String>> routing) {
    if (routing == null) {
      return true;
    }
    List<PartitionField> fields = spec.fields();
    for (int i = 0; i < fields.size(); i++) {
      List<String> allowed = routing.get(fields.get(i).name());
      if (allowed != null && !allowed.contains(humanValue(spec, partition, i))) {
        return false;
      }
    }
    return true;
  }

  /** A partition field's value as Iceberg prints it in partition paths, before escaping. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static String humanValue(PartitionSpec spec, StructLike partition, int field) {
    PartitionField partitionField = spec.fields().get(field);
    Type sourceType = spec.schema().findType(partitionField.sourceId());
    Type resultType = partitionField.transform().getResultType(sourceType);
    Object value = partition.get(field, Object.class);
    return ((org.apache.iceberg.transforms.Transform) partitionField.transform())
        .toHumanString(resultType, value);
  }
}
