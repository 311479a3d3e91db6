package dev.inferpipe.ingress.web;

import dev.inferpipe.contracts.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;

/**
 * Whether a caller asked for an async answer: the query parameter {@code async=true} (or a bare
 * {@code async}), or the header {@code Prefer: respond-async} (RFC 7240). An explicit {@code
 * async=false} wins over the header.
 *
 * @param async answer 202 with a request id instead of waiting for the reply
 * @param preferred the {@code Prefer} header asked for it, so the answer says {@code
 *     Preference-Applied}
 */
record AsyncPreference(boolean async, boolean preferred) {
  static final String PARAMETER = "async";
  static final String RESPOND_ASYNC = "respond-async";

  static AsyncPreference of(HttpServletRequest http) {
    // from the query string only: getParameter() would read a form-encoded body
    String value = queryParameter(http.getQueryString());
    if (value != null) {
      if (value.isEmpty() || value.equalsIgnoreCase("true")) {
        return new AsyncPreference(true, false);
      }
      if (value.equalsIgnoreCase("false")) {
        return new AsyncPreference(false, false);
      }
      throw new IngressException(
          ErrorCode.INVALID_REQUEST,
          "query parameter " + PARAMETER + ": expected true or false, was '" + value + "'");
    }
    boolean preferred = prefersAsync(http);
    return new AsyncPreference(preferred, preferred);
  }

  private static String queryParameter(String query) {
    if (query == null) {
      return null;
    }
    String found = null;
    for (String pair : query.split("&")) {
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      if (URLDecoder.decode(name, StandardCharsets.UTF_8).equals(PARAMETER)) {
        found =
            equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      }
    }
    return found;
  }

  private static boolean prefersAsync(HttpServletRequest http) {
    for (String header : Collections.list(http.getHeaders("Prefer"))) {
      for (String preference : header.split(",")) {
        String token = preference.split("[;=]", 2)[0].trim();
        if (token.equalsIgnoreCase(RESPOND_ASYNC)) {
          return true;
        }
      }
    }
    return false;
  }
}
