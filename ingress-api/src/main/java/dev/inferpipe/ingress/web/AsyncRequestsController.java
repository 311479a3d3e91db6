package dev.inferpipe.ingress.web;

import dev.inferpipe.contracts.ErrorCode;
import dev.inferpipe.contracts.RequestId;
import dev.inferpipe.ingress.IngressProperties;
import dev.inferpipe.ingress.async.AsyncResult;
import dev.inferpipe.ingress.async.AsyncResultStore;
import dev.inferpipe.ingress.async.PendingAsyncRequests;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v2/requests/{id}}: the result of an async request, as the synchronous call would have
 * answered it (200 with the worker's body, or the status its error maps to); 202 while a request
 * this instance accepted is still pending; 404 for an id with no result within the retention. Any
 * instance answers for results; only the accepting instance knows a pending id.
 */
@RestController
class AsyncRequestsController {
  private final AsyncResultStore results;
  private final PendingAsyncRequests pending;

  AsyncRequestsController(AsyncResultStore results, PendingAsyncRequests pending) {
    this.results = results;
    this.pending = pending;
  }

  @GetMapping(
      value = AsyncAnswers.REQUESTS_PATH + "{id}",
      produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<byte[]> result(@PathVariable String id, HttpServletRequest http) {
    RequestId requestId = new RequestId(id);
    AsyncResult result = find(requestId);
    if (result != null && !result.isPending()) {
      requireAllowed(http, result.model());
      return InferenceController.forward(result.reply());
    }
    if (result != null) { // accepted by some instance, no result yet
      requireAllowed(http, result.model());
      if (System.currentTimeMillis() <= result.deadlineEpochMs()) {
        return AsyncAnswers.pending(requestId);
      }
      throw new IngressException(
          ErrorCode.DEADLINE_EXCEEDED, "no result for '" + id + "' arrived within its deadline");
    }
    if (pending.isPending(requestId)) {
      return AsyncAnswers.pending(requestId);
    }
    if (pending.hasExpired(requestId)) {
      throw new IngressException(
          ErrorCode.DEADLINE_EXCEEDED, "no result for '" + id + "' arrived within its deadline");
    }
    throw new IngressException(
        ErrorCode.REQUEST_NOT_FOUND,
        "no async request '"
            + id
            + "' was accepted and no result for it arrived in the last "
            + results.retention()
            + " (ingress.async.result-retention)");
  }

  private AsyncResult find(RequestId id) {
    if (!results.isReadable()) {
      throw notReadable();
    }
    try {
      return results.find(id);
    } catch (InvalidStateStoreException e) {
      throw notReadable(); // the store is restarting
    }
  }

  private IngressException notReadable() {
    return new IngressException(
        ErrorCode.BROKER_UNAVAILABLE,
        "async results cannot be read yet: the results store is " + results.state());
  }

  /** A key limited to some models may read only their results. */
  private static void requireAllowed(HttpServletRequest http, String model) {
    if (http.getAttribute(ApiKeyFilter.KEY_ATTRIBUTE) instanceof IngressProperties.ApiKey key
        && !key.models().isEmpty()
        && !key.models().contains(model)) {
      throw new IngressException(
          ErrorCode.FORBIDDEN,
          "this API key may not read results of model '"
              + model
              + "'; it may call "
              + key.models());
    }
  }
}
