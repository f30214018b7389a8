package io.icecap.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.icecap.testing.S3ServerExtension.Backend;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.apache.iceberg.aws.s3.S3FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SeekableInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Iceberg's S3FileIO, configured only by {@link S3Endpoint#fileIoProperties()}, against S3Proxy.
 */
class S3FileIOCompatibilityIT {

  private static final int MIB = 1024 * 1024;

  @RegisterExtension static final S3ServerExtension S3 = new S3ServerExtension(Backend.S3PROXY);

  private S3FileIO io;
  private String bucket;

  @BeforeEach
  void openFileIo() {
    bucket = S3.server().createBucket("fileio-" + System.nanoTime());
    Map<String, String> properties = new HashMap<>(S3.server().fileIoProperties());
    // The smallest part size S3 allows, so a 12 MiB file goes up in three parts.
    properties.put("s3.multipart.part-size-bytes", Integer.toString(5 * MIB));
    io = new S3FileIO();
    io.initialize(properties);
  }

  @AfterEach
  void closeFileIo() {
    io.close();
  }

  @Test
  void largeFileGoesUpInPartsAndReadsBackWithSeeks() throws IOException {
    byte[] data = S3EndpointContract.randomBytes(12 * MIB + 17, 42);
    String location = "s3://" + bucket + "/warehouse/db/t/data/00000-0.parquet";

    try (OutputStream out = io.newOutputFile(location).create()) {
      out.write(data);
    }

    String etag =
        S3.server()
            .s3Client()
            .headObject(r -> r.bucket(bucket).key("warehouse/db/t/data/00000-0.parquet"))
            .eTag();
    assertThat(etag).as("multipart ETag").matches("\"[0-9a-f]{32}-3\"");
    assertThat(io.newInputFile(location).getLength()).isEqualTo(data.length);
    try (SeekableInputStream in = io.newInputFile(location).newStream()) {
      in.seek(data.length - 8);
      assertThat(in.readAllBytes())
          .isEqualTo(Arrays.copyOfRange(data, data.length - 8, data.length));
      in.seek(5 * MIB - 3);
      byte[] across = new byte[6];
      assertThat(in.read(across)).isEqualTo(6);
      assertThat(across).isEqualTo(Arrays.copyOfRange(data, 5 * MIB - 3, 5 * MIB + 3));
    }
  }

  @Test
  void smallFilesListAndBulkDelete() throws IOException {
    String prefix = "s3://" + bucket + "/warehouse/db/t/metadata/";
    for (String name : List.of("v1.metadata.json", "v2.metadata.json", "snap-1.avro")) {
      try (OutputStream out = io.newOutputFile(prefix + name).create()) {
        out.write(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    try (OutputStream out = io.newOutputFile("s3://" + bucket + "/elsewhere/x").create()) {
      out.write(1);
    }

    List<String> listed =
        StreamSupport.stream(io.listPrefix(prefix).spliterator(), false)
            .map(FileInfo::location)
            .sorted()
            .toList();
    assertThat(listed)
        .containsExactly(
            prefix + "snap-1.avro", prefix + "v1.metadata.json", prefix + "v2.metadata.json");

    io.deleteFiles(listed);

    assertThat(io.listPrefix(prefix)).isEmpty();
    assertThat(io.newInputFile("s3://" + bucket + "/elsewhere/x").exists()).isTrue();
  }
}
