package io.icecap.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The Lua scripts that make every compare-and-swap of the catalog one atomic step in Redis. */
enum CatalogScript {
  CREATE_TABLE("create_table"),
  COMMIT_TABLE("commit_table"),
  DROP_TABLE("drop_table"),
  RENAME_TABLE("rename_table"),
  CREATE_NAMESPACE("create_namespace"),
  DROP_NAMESPACE("drop_namespace"),
  UPDATE_NAMESPACE("update_namespace"),
  LOAD_NAMESPACE("load_namespace");

  private final String source;
  private final String sha1;

  CatalogScript(String name) {
    this.source = read("prelude") + "\n" + read(name);
    this.sha1 = sha1(source);
  }

  /** The script's Lua source. */
  String source() {
    return source;
  }

  /** The SHA-1 digest by which Redis caches the script. */
  String sha1() {
    return sha1;
  }

  private static String read(String name) {
    String resource = "lua/" + name + ".lua";
    try (InputStream in = CatalogScript.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Missing catalog script resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read catalog script resource " + resource, e);
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
