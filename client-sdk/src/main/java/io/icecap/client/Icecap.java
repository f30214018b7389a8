package io.icecap.client;

import static java.util.Objects.requireNonNull;

/**
 * The entry point: {@code try (IcecapSession session = Icecap.connect(IcecapConfig.local(dir)))
 * {...}}. Sessions of one configuration in one process share the catalog, the log, the apply
 * workers, the read cache and, when embedded, the Redis server.
 */
public final class Icecap {
  private Icecap() {}

  /**
   * Opens a session.
   *
   * @throws IcecapException with {@link ErrorCode#CONNECTION_FAILED} when Redis cannot be reached
   *     or started
   */
  public static IcecapSession connect(IcecapConfig config) {
    Environment environment = Environment.acquire(requireNonNull(config, "config is null"));
    try {
      return new IcecapSession(environment, config);
    } catch (RuntimeException e) {
      environment.release();
      throw e;
    }
  }
}
