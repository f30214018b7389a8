package jakarta.servlet;

/**
 * Servlet 5's empty marker interface, which Servlet 6 removed. This module's class path holds
 * Servlet 6, which S3Proxy's Jetty 12 (the run's object store) needs; Spark 4.0's shaded Jetty 11
 * still asks whether each servlet it wraps implements this interface (its metrics servlet, made
 * even with the UI off). None does; nothing else of Servlet 5 that Servlet 6 lacks is reached with
 * the UI off.
 */
@Deprecated
public interface SingleThreadModel {}
