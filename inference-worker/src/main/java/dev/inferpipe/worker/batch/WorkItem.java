package dev.inferpipe.worker.batch;

import dev.inferpipe.contracts.InferenceRequest;
import dev.inferpipe.contracts.RequestId;

/**
 * One decoded request, ready for a batch.
 *
 * @param requestId the correlation id the reply carries (its key and request-id header)
 * @param request the decoded, contract-valid request
 * @param deadlineEpochMs when nobody waits for the answer any more ({@link Long#MAX_VALUE}: never)
 * @param enqueuedEpochMs when the request was produced, for queue-time metrics (0: unknown)
 */
public record WorkItem(
    RequestId requestId, InferenceRequest request, long deadlineEpochMs, long enqueuedEpochMs) {

  /** The id the response body carries: the caller's own, else the correlation id. */
  public String responseId() {
    return request.id() != null ? request.id() : requestId.value();
  }
}
