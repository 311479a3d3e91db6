package dev.inferpipe.ingress.correlation;

import dev.inferpipe.contracts.ErrorCode;

/**
 * A worker's answer as it arrived: the encoded response body, passed to the caller unchanged, the
 * error code from its header (null for a success), and when the worker ended its forward pass
 * (epoch microseconds, worker clock; 0 if the reply does not say), for the latency budget.
 */
public record Reply(ErrorCode errorCode, byte[] body, long computedEpochUs) {
  public Reply(ErrorCode errorCode, byte[] body) {
    this(errorCode, body, 0);
  }
}
