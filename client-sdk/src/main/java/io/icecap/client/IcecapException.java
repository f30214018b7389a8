package io.icecap.client;

import static java.util.Objects.requireNonNull;

/** An error of an Icecap session: a message that says what, where and what to do, and its code. */
public class IcecapException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public IcecapException(ErrorCode code, String message, Object... args) {
    super(args.length == 0 ? message : String.format(message, args));
    this.code = requireNonNull(code, "code is null");
  }

  public IcecapException(ErrorCode code, Throwable cause, String message, Object... args) {
    super(args.length == 0 ? message : String.format(message, args), cause);
    this.code = requireNonNull(code, "code is null");
  }

  /** What kind of error this is. */
  public ErrorCode code() {
    return code;
  }
}
