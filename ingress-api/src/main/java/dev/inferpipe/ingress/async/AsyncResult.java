package dev.inferpipe.ingress.async;

import dev.inferpipe.contracts.ErrorCode;
import dev.inferpipe.ingress.correlation.Reply;

/**
 * What the results store keeps of an async request: the model, and either the reply as the worker
 * sent it (encoded body, error code from its header, null for a success), or, while the result is
 * still to come, no reply and the request's deadline.
 */
public record AsyncResult(String model, Reply reply, long deadlineEpochMs) {
  /** The worker's answer. */
  public AsyncResult(String model, Reply reply) {
    this(model, reply, 0);
  }

  /** An ingress accepted the request; its result is to come until {@code deadlineEpochMs}. */
  public static AsyncResult accepted(String model, long deadlineEpochMs) {
    return new AsyncResult(model, null, deadlineEpochMs);
  }

  /** True while only the acceptance is known. */
  public boolean isPending() {
    return reply == null;
  }

  public ErrorCode errorCode() {
    return reply.errorCode();
  }
}
