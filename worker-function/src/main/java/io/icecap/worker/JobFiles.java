package io.icecap.worker;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.Table;

/**
 * Where an apply job's files go and how they are named. Every file a job uploads (its DuckDB
 * replicas and its Parquet data files) is named {@code <token>-<uuid>.<ext>}, {@code token} being
 * the fencing token of the job's leases: while a lease holds that token in the table's leases hash,
 * the job may still commit the file, so clean-up leaves it alone whatever its age.
 */
public final class JobFiles {
  private static final Pattern NAME =
      Pattern.compile(
          "([0-9]{1,18})-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.[a-z]+");

  private JobFiles() {}

  /** Where a table's DuckDB replicas live, ending with {@code /}. */
  public static String replicaLocation(Table table) {
    return table.location() + "/icecap/duckdb/";
  }

  /** Where a table's staged insert files live, ending with {@code /}. */
  public static String stagedLocation(Table table) {
    return table.location() + "/icecap/staged/";
  }

  /** The start of the names of the files a job with this fencing token uploads. */
  public static String prefix(long token) {
    return token + "-";
  }

  /**
   * The fencing token in the name of a file a job uploaded, or empty for a file named otherwise (by
   * another engine, by Iceberg, or by a job of an Icecap version before tokens were in names).
   */
  public static OptionalLong token(String location) {
    String name = location.substring(location.lastIndexOf('/') + 1);
    Matcher matcher = NAME.matcher(name);
    return matcher.matches()
        ? OptionalLong.of(Long.parseLong(matcher.group(1)))
        : OptionalLong.empty();
  }
}
