package dev.inferpipe.ingress.web;

import dev.inferpipe.ingress.IngressMetrics;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * Serves the inference POSTs, {@code /v2/models/{model}/infer} and {@code /v1/embeddings}, ahead of
 * Spring MVC, which serves every other path. Profiling showed Spring MVC's dispatch, run twice per
 * request (once for the request, once more to write the reply of its asynchronous handler), and the
 * filters around it taking about half of the ingress's CPU at saturation. Here the request is
 * checked (API key), handed to its API's handler, and the reply is written when its future
 * completes: on a container thread through {@link AsyncContext#start}, never on the Kafka reply
 * listener's thread, and without a second dispatch.
 *
 * <p>A refusal ({@link IngressException}) is answered by {@link ErrorResponses}, in the shape of
 * the API that was called.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1) // after ConnectionDrain
public class InferenceFilter implements Filter {
  private static final Logger log = LoggerFactory.getLogger(InferenceFilter.class);
  private static final long ASYNC_TIMEOUT_MARGIN_MS = 10_000;

  /** One inference API: starts a request and answers it. */
  public interface Api {
    /** Whether this API serves the path. */
    boolean serves(String path);

    CompletableFuture<ResponseEntity<byte[]>> handle(HttpServletRequest http) throws IOException;

    /** The longest a started request can wait for its answer, for the servlet's async timeout. */
    long maxWaitMillis();
  }

  private final ApiKeyFilter apiKeys;
  private final List<Api> apis;
  private final IngressMetrics metrics;
  private final ErrorResponses errors;

  public InferenceFilter(
      ApiKeyFilter apiKeys, List<Api> apis, IngressMetrics metrics, ErrorResponses errors) {
    this.apiKeys = apiKeys;
    this.apis = List.copyOf(apis);
    this.metrics = metrics;
    this.errors = errors;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest http = (HttpServletRequest) request;
    HttpServletResponse out = (HttpServletResponse) response;
    Api api = api(http.getRequestURI());
    if (api == null || http.getDispatcherType() != DispatcherType.REQUEST) {
      chain.doFilter(request, response);
      return;
    }
    if (!"POST".equals(http.getMethod())) {
      out.setHeader("Allow", "POST");
      out.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
      return;
    }
    if (!apiKeys.admit(http, out)) {
      return;
    }
    CompletableFuture<ResponseEntity<byte[]>> answer;
    try {
      answer = api.handle(http);
    } catch (IngressException e) {
      write(out, errors.refused(e, http));
      return;
    }
    if (answer.isDone()) {
      write(out, answer.join());
      return;
    }
    String model = (String) http.getAttribute(IngressMetrics.MODEL_ATTRIBUTE);
    AsyncContext async = http.startAsync();
    async.setTimeout(api.maxWaitMillis() + ASYNC_TIMEOUT_MARGIN_MS);
    AtomicBoolean answered = new AtomicBoolean();
    async.addListener(new Abandoned(answered));
    answer.whenComplete(
        (entity, failure) -> {
          long answeredAt = System.nanoTime();
          async.start(
              () -> {
                if (!answered.compareAndSet(false, true)) {
                  return; // the caller went away, or the backstop timeout fired
                }
                try {
                  if (entity != null) {
                    write((HttpServletResponse) async.getResponse(), entity);
                  } else {
                    log.warn("an inference answer failed unexpectedly", failure);
                    ((HttpServletResponse) async.getResponse()).setStatus(500);
                  }
                } catch (IOException e) {
                  log.debug("could not write an answer: {}", e.toString());
                } finally {
                  async.complete();
                  metrics.stage(
                      model, IngressMetrics.Stage.RESPOND, System.nanoTime() - answeredAt);
                }
              });
        });
  }

  private Api api(String path) {
    for (Api api : apis) {
      if (api.serves(path)) {
        return api;
      }
    }
    return null;
  }

  /** Writes status, headers and body. */
  static void write(HttpServletResponse out, ResponseEntity<byte[]> entity) throws IOException {
    out.setStatus(entity.getStatusCode().value());
    for (Map.Entry<String, List<String>> header : entity.getHeaders().headerSet()) {
      for (String value : header.getValue()) {
        out.addHeader(header.getKey(), value);
      }
    }
    byte[] body = entity.getBody();
    if (body != null) {
      out.setContentLength(body.length);
      out.getOutputStream().write(body);
    }
  }

  /** Marks the request answered when the caller leaves or the backstop timeout fires. */
  private record Abandoned(AtomicBoolean answered) implements AsyncListener {
    @Override
    public void onTimeout(AsyncEvent event) {
      if (answered.compareAndSet(false, true)) {
        ((HttpServletResponse) event.getAsyncContext().getResponse()).setStatus(504);
        event.getAsyncContext().complete();
      }
    }

    @Override
    public void onError(AsyncEvent event) {
      answered.set(true);
    }

    @Override
    public void onComplete(AsyncEvent event) {}

    @Override
    public void onStartAsync(AsyncEvent event) {}
  }
}
