package dev.inferpipe.ingress.web;

import dev.inferpipe.contracts.ErrorCode;

/**
 * A request the ingress refuses, with the code that decides its HTTP status. No stack trace: these
 * are expected outcomes on the hot path.
 */
public final class IngressException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public IngressException(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
