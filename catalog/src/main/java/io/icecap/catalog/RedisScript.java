package io.icecap.catalog;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script that Redis runs atomically, with the shared prelude ({@code wrong_type}, {@code
 * check_types}) in front of it. Scripts are loaded into the server's cache when a {@link
 * RedisSession} connects and run by their SHA-1 digest.
 */
public final class RedisScript {
  private final String name;
  private final String source;
  private final String sha1;
  private final boolean readOnly;

  private RedisScript(String name, String source, boolean readOnly) {
    this.name = requireNonNull(name, "name is null");
    this.source = requireNonNull(source, "source is null");
    this.sha1 = sha1(source);
    this.readOnly = readOnly;
  }

  /**
   * Loads the script {@code lua/<name>.lua} found next to {@code anchor} on the class path.
   *
   * @throws IllegalStateException when there is no such resource
   */
  public static RedisScript load(Class<?> anchor, String name) {
    return new RedisScript(
        name, read(RedisScript.class, "prelude") + "\n" + read(anchor, name), false);
  }

  /**
   * Loads a script that only reads, like {@link #load}. On Redis 7 and later it runs with {@code
   * EVALSHA_RO}, which needs only read access to its keys (Redis grants {@code EVALSHA} its keys
   * only with read and write access).
   *
   * @throws IllegalStateException when there is no such resource
   */
  public static RedisScript loadReadOnly(Class<?> anchor, String name) {
    return new RedisScript(
        name, read(RedisScript.class, "prelude") + "\n" + read(anchor, name), true);
  }

  /** The script's name, the file name of its source without {@code .lua}. */
  public String name() {
    return name;
  }

  /** The script's Lua source, prelude included. */
  public String source() {
    return source;
  }

  /** Whether the script only reads, and runs as {@code EVALSHA_RO} where Redis has it. */
  public boolean readOnly() {
    return readOnly;
  }

  /** The SHA-1 digest by which Redis caches the script. */
  public String sha1() {
    return sha1;
  }

  @Override
  public String toString() {
    return name;
  }

  private static String read(Class<?> anchor, String name) {
    String resource = "lua/" + name + ".lua";
    try (InputStream in = anchor.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "Missing Redis script resource " + resource + " next to " + anchor.getName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read Redis script resource " + resource, e);
    }
  }

  private static String sha1(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-1");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is not available", e);
    }
  }
}
