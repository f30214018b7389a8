package io.icecap.catalog;

/** The Lua scripts that make every compare-and-swap of the catalog one atomic step in Redis. */
enum CatalogScript {
  CREATE_TABLE("create_table"),
  COMMIT_TABLE("commit_table"),
  DROP_TABLE("drop_table"),
  RENAME_TABLE("rename_table"),
  CREATE_NAMESPACE("create_namespace"),
  DROP_NAMESPACE("drop_namespace"),
  UPDATE_NAMESPACE("update_namespace"),
  LOAD_NAMESPACE("load_namespace", true);

  private final RedisScript script;

  CatalogScript(String name) {
    this(name, false);
  }

  CatalogScript(String name, boolean readOnly) {
    this.script =
        readOnly
            ? RedisScript.loadReadOnly(CatalogScript.class, name)
            : RedisScript.load(CatalogScript.class, name);
  }

  /** The script itself. */
  RedisScript script() {
    return script;
  }
}
