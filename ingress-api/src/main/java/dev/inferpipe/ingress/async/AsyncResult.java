package dev.inferpipe.ingress.async;

import dev.inferpipe.contracts.ErrorCode;
import dev.inferpipe.ingress.correlation.Reply;

/**
 * The answer to an async request as the results store keeps it: the model that answered, and the
 * reply as the worker sent it (encoded body, error code from its header, null for a success).
 */
public record AsyncResult(String model, Reply reply) {
  public ErrorCode errorCode() {
    return reply.errorCode();
  }
}
