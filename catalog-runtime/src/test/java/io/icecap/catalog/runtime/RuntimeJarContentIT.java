package io.icecap.catalog.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the catalog runtime jar holds: Icecap's catalog and its libraries relocated under {@code
 * io.icecap.shaded}, nothing an engine's Iceberg runtime or logging brings, and no class that still
 * refers to a library it relocated.
 *
 * <p>SLF4J stays unrelocated and outside the jar on purpose: the catalog logs through the engine's
 * SLF4J, as Iceberg's runtimes themselves do; a relocated copy would have no provider and log
 * nothing, a bundled one would clash with the engine's. Iceberg is the engine's for the catalog to
 * link against the classes the engine's catalog wrapper passes it.
 */
class RuntimeJarContentIT {
  private static final String SHADED = "io/icecap/shaded/";
  private static final Pattern CLASS_ENTRY =
      Pattern.compile("(META-INF/versions/\\d+/)?(io/icecap/(catalog|shaded)/.+)\\.class");

  /** The packages of the libraries the jar bundles, before relocation. */
  private static final List<String> RELOCATED =
      List.of(
          "io/lettuce/",
          "io/netty/",
          "reactor/",
          "org/reactivestreams/",
          "redis/clients/",
          "org/jctools/");

  /** What every engine's JVM and Iceberg runtime provide. */
  private static final List<String> ENGINE =
      List.of(
          "java/",
          "javax/",
          "jdk/",
          "sun/",
          "com/sun/",
          "org/ietf/jgss/",
          "org/apache/iceberg/",
          "org/slf4j/");

  /**
   * Optional integrations of the bundled libraries, each used only when its library is present and
   * the client is configured for it; the catalog configures none of them (no JSON commands, no
   * metrics or tracing, no Kotlin or RxJava API, no compression codec, JDK TLS, no CDI, no pool).
   */
  private static final List<String> OPTIONAL =
      List.of(
          // Lettuce: JSON commands, Kotlin and RxJava APIs, metrics and tracing, CDI, pooling
          "com/fasterxml/jackson/",
          "kotlin/",
          "kotlinx/",
          "io/reactivex/",
          "rx/",
          "io/micrometer/",
          "brave/",
          "zipkin2/",
          "org/HdrHistogram/",
          "org/LatencyUtils/",
          "javax/enterprise/",
          "javax/inject/",
          "org/apache/commons/pool2/",
          "org/jetbrains/annotations/",
          // Netty: compression codecs, TLS providers and ALPN, marshalling, logging back ends
          "com/aayushatharva/brotli4j/",
          "com/github/luben/zstd/",
          "com/jcraft/jzlib/",
          "com/ning/compress/",
          "net/jpountz/",
          "lzma/sdk/",
          "com/google/protobuf/",
          "com/google/protobuf/nano/",
          "org/jboss/marshalling/",
          "org/conscrypt/",
          "org/bouncycastle/",
          "org/eclipse/jetty/",
          "org/apache/logging/",
          "org/apache/log4j/",
          "org/apache/commons/logging/",
          "com/oracle/svm/",
          // JCTools (inside Netty): OSGi annotations, which the JVM ignores when they are absent
          "org/osgi/annotation/");

  /**
   * Optional parts of the bundled libraries left out of the jar, named by their relocated packages:
   * native transports (the catalog uses Java NIO), OpenSSL (JDK TLS), BlockHound.
   */
  private static final List<String> OPTIONAL_RELOCATED =
      List.of(
          SHADED + "io/netty/channel/epoll/",
          SHADED + "io/netty/channel/kqueue/",
          SHADED + "io/netty/incubator/channel/uring/",
          SHADED + "io/netty/internal/tcnative/",
          SHADED + "reactor/blockhound/");

  private static final Charset UTF8 = StandardCharsets.UTF_8;

  private static RuntimeJar jar;
  private static Set<String> classNames;

  @BeforeAll
  static void read() {
    jar = RuntimeJar.built();
    classNames = new TreeSet<>();
    for (String name : jar.entries().keySet()) {
      var matcher = CLASS_ENTRY.matcher(name);
      if (matcher.matches()) {
        classNames.add(matcher.group(2));
      }
    }
  }

  @Test
  void everyClassIsIcecapsOrRelocatedUnderIcecapShaded() {
    List<String> elsewhere = new ArrayList<>();
    int own = 0;
    int shaded = 0;
    for (String name : jar.entries().keySet()) {
      if (!name.endsWith(".class")) {
        continue;
      }
      var matcher = CLASS_ENTRY.matcher(name);
      if (!matcher.matches()) {
        elsewhere.add(name);
      } else if (matcher.group(2).startsWith(SHADED)) {
        shaded++;
      } else {
        own++;
      }
    }
    assertThat(elsewhere).as("classes outside io/icecap/catalog and io/icecap/shaded").isEmpty();
    assertThat(own).isGreaterThan(20);
    assertThat(jar.entries())
        .containsKeys(
            "io/icecap/catalog/RedisCatalog.class",
            "io/icecap/catalog/io/LocalFileIO.class",
            "io/icecap/catalog/lua/commit_table.lua",
            "io/icecap/shaded/io/lettuce/core/RedisClient.class",
            "io/icecap/shaded/io/netty/channel/Channel.class",
            "io/icecap/shaded/reactor/core/publisher/Mono.class",
            "io/icecap/shaded/org/reactivestreams/Publisher.class",
            // Reactor's classes for Java 21 (multi-release) moved with it
            "META-INF/versions/21/io/icecap/shaded/reactor/core/scheduler/VirtualThreadFactory.class");
    assertThat(shaded).isGreaterThan(4_000);
    assertThat(jar.manifest().getMainAttributes().getValue("Multi-Release")).isEqualTo("true");
  }

  @Test
  void oneVersionOfNetty() {
    Set<String> versions = new TreeSet<>();
    jar.entries().entrySet().stream()
        .filter(e -> e.getKey().matches("META-INF/maven/io\\.netty/[^/]+/pom\\.properties"))
        .forEach(
            e ->
                new String(e.getValue(), UTF8)
                    .lines()
                    .filter(line -> line.startsWith("version="))
                    .forEach(versions::add));
    assertThat(versions).hasSize(1);
  }

  @Test
  void noClassReferencesALibraryItRelocated() throws IOException {
    Set<String> found = new TreeSet<>();
    for (Map.Entry<String, byte[]> entry : classes()) {
      for (String reference : ClassReferences.of(entry.getValue())) {
        if (startsWithAny(reference, RELOCATED)) {
          found.add(entry.getKey() + " -> " + reference);
        }
      }
    }
    assertThat(found).as("references to unrelocated copies of bundled libraries").isEmpty();
  }

  @Test
  void icecapsClassesNeedOnlyTheJvmIcebergSlf4jAndTheJar() throws IOException {
    Set<String> found = new TreeSet<>();
    int checked = 0;
    for (Map.Entry<String, byte[]> entry : classes()) {
      if (!entry.getKey().startsWith("io/icecap/catalog/")) {
        continue;
      }
      checked++;
      for (String reference : ClassReferences.of(entry.getValue())) {
        if (!inJar(reference) && !startsWithAny(reference, ENGINE)) {
          found.add(entry.getKey() + " -> " + reference);
        }
        // Spark's and Flink's Iceberg runtimes relocate Iceberg's Jackson and Caffeine: the
        // catalog may not hand such types to Iceberg or take them from it
        if (reference.startsWith("org/apache/iceberg/shaded/")
            || reference.startsWith("com/fasterxml/jackson/")
            || reference.startsWith("com/github/benmanes/caffeine/")) {
          found.add(entry.getKey() + " -> " + reference);
        }
      }
    }
    assertThat(checked).isGreaterThan(20);
    assertThat(found).as("what Icecap's own classes need from outside the jar").isEmpty();
  }

  @Test
  void bundledLibrariesNeedNothingElseButOptionalIntegrations() throws IOException {
    Set<String> missing = new TreeSet<>();
    for (Map.Entry<String, byte[]> entry : classes()) {
      for (String reference : ClassReferences.of(entry.getValue())) {
        if (!inJar(reference)
            && !startsWithAny(reference, ENGINE)
            && !startsWithAny(reference, OPTIONAL)
            && !startsWithAny(reference, OPTIONAL_RELOCATED)) {
          missing.add(entry.getKey() + " -> " + reference);
        }
      }
    }
    assertThat(missing).as("packages the jar needs that neither it nor an engine has").isEmpty();
  }

  @Test
  void noIcebergNoSlf4jAndNoLoggingProvider() {
    assertThat(jar.entries().keySet())
        .noneMatch(name -> name.startsWith("org/apache/iceberg/"))
        .noneMatch(name -> name.startsWith("org/slf4j/"))
        .noneMatch(name -> name.startsWith("software/amazon/"))
        .noneMatch(name -> name.startsWith("com/fasterxml/"))
        .noneMatch(name -> name.startsWith("org/apache/logging/"))
        .noneMatch(name -> name.equals("META-INF/services/org.slf4j.spi.SLF4JServiceProvider"))
        .noneMatch(name -> name.startsWith("META-INF/native-image/"));
  }

  @Test
  void serviceFilesNameRelocatedInterfacesAndClassesThatAreThere() {
    List<String> services =
        jar.entries().keySet().stream().filter(n -> n.startsWith("META-INF/services/")).toList();
    assertThat(services)
        .contains("META-INF/services/io.icecap.shaded.io.lettuce.core.json.JsonParser")
        .allMatch(n -> n.startsWith("META-INF/services/io.icecap.shaded."));
    for (String service : services) {
      String text = new String(jar.entries().get(service), UTF8);
      List<String> providers =
          text.lines()
              .map(line -> line.replaceAll("#.*", "").strip())
              .filter(line -> !line.isEmpty())
              .toList();
      assertThat(providers).as(service).isNotEmpty();
      for (String provider : providers) {
        assertThat(jar.entries())
            .as("provider %s of %s", provider, service)
            .containsKey(provider.replace('.', '/') + ".class");
      }
    }
  }

  @Test
  void licensesAndNoticeAreKept() {
    String notice = new String(jar.entries().get("META-INF/NOTICE"), UTF8);
    assertThat(notice).contains("Lettuce", "Netty", "Reactor Core", "Reactive Streams", "MIT");
    assertThat(new String(jar.entries().get("META-INF/licenses/LICENSE-Apache-2.0.txt"), UTF8))
        .contains("Apache License", "Version 2.0");
    assertThat(new String(jar.entries().get("META-INF/licenses/LICENSE-lettuce-core.txt"), UTF8))
        .contains("MIT License", "Redis Ltd.");
  }

  /** Whether the jar has the class, for every Java version or for some (multi-release). */
  private static boolean inJar(String name) {
    return classNames.contains(name);
  }

  private static List<Map.Entry<String, byte[]>> classes() {
    return jar.entries().entrySet().stream().filter(e -> e.getKey().endsWith(".class")).toList();
  }

  private static boolean startsWithAny(String name, List<String> prefixes) {
    for (String prefix : prefixes) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
