package dev.inferpipe.ingress.web;

import dev.inferpipe.contracts.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;

/** Reads request bodies with a bound on their size, so that memory stays bounded. */
public final class RequestBodies {
  private RequestBodies() {}

  /** The body, or a 413 once it passes {@code limit} bytes (or says it will). */
  public static byte[] read(HttpServletRequest http, int limit) throws IOException {
    long declared = http.getContentLengthLong();
    if (declared > limit) {
      throw tooLarge(declared + " bytes", limit);
    }
    byte[] body = http.getInputStream().readNBytes(limit + 1);
    if (body.length > limit) {
      throw tooLarge("more than " + limit + " bytes", limit);
    }
    return body;
  }

  private static IngressException tooLarge(String size, int limit) {
    return new IngressException(
        ErrorCode.PAYLOAD_TOO_LARGE, "the body is " + size + "; the limit is " + limit + " bytes");
  }
}
