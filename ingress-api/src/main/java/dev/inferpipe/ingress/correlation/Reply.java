package dev.inferpipe.ingress.correlation;

import dev.inferpipe.contracts.ErrorCode;

/**
 * A worker's answer as it arrived: the encoded response body, passed to the caller unchanged, and
 * the error code from its header (null for a success).
 */
public record Reply(ErrorCode errorCode, byte[] body) {}
