package dev.inferpipe.ingress.web;

import dev.inferpipe.contracts.ErrorCode;
import dev.inferpipe.ingress.IngressProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Optional authentication of the inference APIs ({@code /v2/models/…/infer}, {@code /v1/…}, async
 * results at {@code /v2/requests/…}): with {@code ingress.api-keys} set, a request needs {@code
 * Authorization: Bearer KEY} or {@code X-API-Key: KEY}. No or an unknown key gets 401; a known key
 * asking for a model outside its list gets 403. Health, metadata, {@code /config} and {@code
 * /metrics} stay open for probes and scrapers. Keys are compared in constant time and never logged.
 * Refusals are answered by {@link ErrorResponses}, in the shape of the API that was called.
 */
@Component
public class ApiKeyFilter extends OncePerRequestFilter {
  /** The request attribute that holds the caller's {@link IngressProperties.ApiKey}. */
  public static final String KEY_ATTRIBUTE = ApiKeyFilter.class.getName() + ".key";

  private static final Pattern INFER = Pattern.compile("^/v2/models/([^/]+)/infer$");

  private final IngressProperties properties;
  private final ErrorResponses errors;

  public ApiKeyFilter(IngressProperties properties, ErrorResponses errors) {
    this.properties = properties;
    this.errors = errors;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path = request.getRequestURI();
    return properties.apiKeys().isEmpty()
        || !(INFER.matcher(path).matches()
            || path.startsWith("/v1/")
            || path.startsWith(AsyncAnswers.REQUESTS_PATH));
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (admit(request, response)) {
      chain.doFilter(request, response);
    }
  }

  /**
   * Checks the request's key where the path needs one; answers 401 or 403 itself and returns false
   * if the key is missing, unknown or not allowed the model.
   */
  public boolean admit(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (shouldNotFilter(request)) {
      return true;
    }
    String presented = presentedKey(request);
    IngressProperties.ApiKey key = presented == null ? null : find(presented);
    if (key == null) {
      refuse(
          request,
          response,
          model(request),
          ErrorCode.UNAUTHENTICATED,
          presented == null
              ? "this ingress needs an API key: send 'Authorization: Bearer KEY' or 'X-API-Key: KEY'"
              : "the API key is not valid");
      return false;
    }
    Matcher infer = INFER.matcher(request.getRequestURI());
    if (infer.matches() && !key.models().isEmpty() && !key.models().contains(infer.group(1))) {
      refuse(
          request,
          response,
          infer.group(1),
          ErrorCode.FORBIDDEN,
          "this API key may not call model '" + infer.group(1) + "'; it may call " + key.models());
      return false;
    }
    request.setAttribute(KEY_ATTRIBUTE, key);
    return true;
  }

  private static String presentedKey(HttpServletRequest request) {
    String authorization = request.getHeader("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).trim();
    }
    String header = request.getHeader("X-API-Key");
    return header == null || header.isBlank() ? null : header.trim();
  }

  private IngressProperties.ApiKey find(String presented) {
    byte[] bytes = presented.getBytes(StandardCharsets.UTF_8);
    IngressProperties.ApiKey found = null;
    for (IngressProperties.ApiKey candidate : properties.apiKeys()) {
      // no early exit: the time taken does not depend on which key matched
      if (MessageDigest.isEqual(bytes, candidate.key().getBytes(StandardCharsets.UTF_8))) {
        found = candidate;
      }
    }
    return found;
  }

  /** The model in an infer path; null for the OpenAI paths, whose model is in the body. */
  private static String model(HttpServletRequest request) {
    Matcher infer = INFER.matcher(request.getRequestURI());
    return infer.matches() ? infer.group(1) : null;
  }

  private void refuse(
      HttpServletRequest request,
      HttpServletResponse response,
      String model,
      ErrorCode code,
      String message)
      throws IOException {
    InferenceFilter.write(response, errors.refused(request, model, code, message));
  }
}
