package io.icecap.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisBinaryTest {

  @Test
  void findsExecutableRedisServerOnPath(@TempDir Path tmp) throws Exception {
    Path empty = Files.createDirectory(tmp.resolve("empty"));
    Path notExecutable = Files.createDirectory(tmp.resolve("plain"));
    Files.writeString(notExecutable.resolve("redis-server"), "#!/bin/sh\n");
    Path bin = Files.createDirectory(tmp.resolve("bin"));
    Path server = bin.resolve("redis-server");
    Files.writeString(server, "#!/bin/sh\n");
    Files.setPosixFilePermissions(server, PosixFilePermissions.fromString("rwxr-xr-x"));

    String path =
        String.join(
            File.pathSeparator, empty.toString(), "", notExecutable.toString(), bin.toString());

    assertThat(RedisBinary.findOnPath(path)).contains(server.toAbsolutePath());
  }

  @Test
  void findsNothingWhenPathHasNoRedisServer(@TempDir Path tmp) {
    assertThat(RedisBinary.findOnPath(tmp.toString())).isEmpty();
    assertThat(RedisBinary.findOnPath("")).isEmpty();
    assertThat(RedisBinary.findOnPath(null)).isEmpty();
  }

  @Test
  void picksBundledBinaryByArchitecture() {
    assertThat(RedisBinary.bundledResourceNames("Linux", "amd64"))
        .containsExactly("redis-server-6.2.6-v5-linux-amd64");
    assertThat(RedisBinary.bundledResourceNames("Linux", "x86_64"))
        .containsExactly("redis-server-6.2.6-v5-linux-amd64");
    assertThat(RedisBinary.bundledResourceNames("Linux", "aarch64"))
        .containsExactly("redis-server-6.2.7-linux-arm64");
    assertThat(RedisBinary.bundledResourceNames("Mac OS X", "aarch64"))
        .containsExactly("redis-server-6.2.6-v5-darwin-arm64");
    assertThat(RedisBinary.bundledResourceNames("Linux", "s390x")).isEmpty();
    assertThat(RedisBinary.bundledResourceNames("Windows 11", "amd64")).isEmpty();
  }

  @Test
  void bundledNamesForThisPlatformExistInTheEmbeddedRedisJar() {
    String os = System.getProperty("os.name");
    String arch = System.getProperty("os.arch");
    for (String name : RedisBinary.bundledResourceNames(os, arch)) {
      assertThat(getClass().getClassLoader().getResource(name)).as(name).isNotNull();
    }
  }

  @Test
  void versionPatternMatchesOtherReleasesOfTheSamePlatform() {
    assertThat(RedisBinary.bundledResourcePattern("Linux", "amd64"))
        .hasValueSatisfying(
            pattern -> {
              assertThat(pattern.matcher("redis-server-7.2.4-linux-amd64").matches()).isTrue();
              assertThat(pattern.matcher("redis-server-6.2.6-v5-linux-amd64").matches()).isTrue();
              assertThat(pattern.matcher("redis-server-6.2.7-linux-arm64").matches()).isFalse();
            });
  }
}
