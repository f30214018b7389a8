package io.icecap.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.testing.RedisServerExtension;
import io.icecap.testing.S3ServerExtension;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.aws.s3.S3FileIO;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NotFoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;

/** Iceberg's catalog suite on a real Redis, with tables stored through S3FileIO. */
class RedisCatalogS3IT extends RedisCatalogSuite {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  @RegisterExtension static final S3ServerExtension S3 = new S3ServerExtension();

  private static final String BUCKET = "warehouse-" + UUID.randomUUID();
  private static boolean bucketCreated;

  @Override
  protected String redisUri() {
    return REDIS.server().uri();
  }

  @Override
  protected void flushRedis() {
    REDIS.flushAll();
  }

  @Override
  protected Map<String, String> storageProperties() {
    synchronized (RedisCatalogS3IT.class) {
      if (!bucketCreated) {
        S3.server().createBucket(BUCKET);
        bucketCreated = true;
      }
    }
    Map<String, String> properties = new HashMap<>(S3.server().fileIoProperties());
    properties.put(
        CatalogProperties.WAREHOUSE_LOCATION, "s3://" + BUCKET + "/" + UUID.randomUUID());
    return properties;
  }

  @Override
  protected String baseTableLocation(TableIdentifier identifier) {
    return "s3://" + BUCKET + "/explicit/" + identifier.namespace() + "/" + identifier.name();
  }

  @Test
  void tablesUseS3FileIo() {
    catalog().createNamespace(NS);
    Table table = catalog().buildTable(TABLE, SCHEMA).create();
    assertThat(table.io()).isInstanceOf(S3FileIO.class);
    assertThat(table.location()).startsWith("s3://" + BUCKET + "/");
  }

  /** The suite's version moves a local file; on S3 the metadata object is deleted instead. */
  @Override
  @Test
  public void testLoadTableWithMissingMetadataFile(@TempDir Path unused) {
    catalog().createNamespace(TBL.namespace());
    catalog().buildTable(TBL, SCHEMA).create();
    Table table = catalog().loadTable(TBL);
    String location = ((HasTableOperations) table).operations().current().metadataFileLocation();
    String key = location.substring(("s3://" + BUCKET + "/").length());
    S3.server()
        .s3Client()
        .deleteObject(DeleteObjectRequest.builder().bucket(BUCKET).key(key).build());

    assertThatThrownBy(() -> catalog().loadTable(TBL))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(location)
        .hasMessageContaining("current metadata file of table icecap_test." + TBL);
  }
}
