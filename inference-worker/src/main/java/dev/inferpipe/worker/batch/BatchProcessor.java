package dev.inferpipe.worker.batch;

import dev.inferpipe.contracts.ErrorCode;
import dev.inferpipe.contracts.InferTensor;
import dev.inferpipe.contracts.InferenceRequest;
import dev.inferpipe.contracts.InferenceResponse;
import dev.inferpipe.worker.model.InvalidInputException;
import dev.inferpipe.worker.model.ModelRunner;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a batch of work items into one response each, in order: skips items whose deadline has
 * passed, rejects inputs the model cannot take, and runs one forward pass over the rest. If that
 * pass fails, each item runs alone, so that one bad input fails only its own request.
 */
public final class BatchProcessor {
  private static final Logger log = LoggerFactory.getLogger(BatchProcessor.class);

  private final ModelRunner runner;
  private final Clock clock;
  private final BatchListener listener;

  public BatchProcessor(ModelRunner runner, Clock clock, BatchListener listener) {
    this.runner = runner;
    this.clock = clock;
    this.listener = listener;
  }

  /** Answers items that expired while queued: {@code DEADLINE_EXCEEDED}, without compute. */
  public List<InferenceResponse> expired(List<WorkItem> items) {
    String model = runner.metadata().name();
    long now = clock.millis();
    List<InferenceResponse> responses = new ArrayList<>(items.size());
    for (WorkItem item : items) {
      listener.expired(item);
      responses.add(expiredResponse(model, item, now));
    }
    return responses;
  }

  private static InferenceResponse expiredResponse(String model, WorkItem item, long now) {
    return InferenceResponse.failure(
        model,
        item.responseId(),
        ErrorCode.DEADLINE_EXCEEDED,
        "deadline passed "
            + Math.max(0, now - item.deadlineEpochMs())
            + " ms before the request was dequeued; it was not run");
  }

  public List<InferenceResponse> process(List<WorkItem> items) {
    String model = runner.metadata().name();
    InferenceResponse[] responses = new InferenceResponse[items.size()];
    List<Integer> runnable = new ArrayList<>(items.size());
    long now = clock.millis();
    for (int i = 0; i < items.size(); i++) {
      WorkItem item = items.get(i);
      if (item.deadlineEpochMs() <= now) {
        listener.expired(item);
        responses[i] = expiredResponse(model, item, now);
        continue;
      }
      try {
        runner.validate(item.request());
        runnable.add(i);
      } catch (InvalidInputException e) {
        responses[i] =
            InferenceResponse.failure(
                model, item.responseId(), ErrorCode.INVALID_INPUT, e.getMessage());
      }
    }
    if (!runnable.isEmpty()) {
      run(items, runnable, responses, model);
    }
    return Arrays.asList(responses);
  }

  private void run(
      List<WorkItem> items, List<Integer> runnable, InferenceResponse[] responses, String model) {
    List<InferenceRequest> batch = new ArrayList<>(runnable.size());
    runnable.forEach(i -> batch.add(items.get(i).request()));
    long start = System.nanoTime();
    try {
      List<List<InferTensor>> outputs = runner.infer(batch);
      listener.batchRan(batch.size(), System.nanoTime() - start);
      for (int k = 0; k < runnable.size(); k++) {
        int i = runnable.get(k);
        responses[i] = success(model, items.get(i), outputs.get(k));
      }
    } catch (Exception batchFailure) {
      if (batch.size() == 1) {
        int i = runnable.get(0);
        responses[i] = failure(model, items.get(i), batchFailure);
        return;
      }
      log.warn(
          "batch of {} failed ({}); running its items one by one to isolate the cause",
          batch.size(),
          batchFailure.toString());
      for (int i : runnable) {
        runAlone(items.get(i), responses, i, model);
      }
    }
  }

  private void runAlone(WorkItem item, InferenceResponse[] responses, int i, String model) {
    long start = System.nanoTime();
    try {
      List<List<InferTensor>> outputs = runner.infer(List.of(item.request()));
      listener.batchRan(1, System.nanoTime() - start);
      responses[i] = success(model, item, outputs.get(0));
    } catch (Exception e) {
      responses[i] = failure(model, item, e);
    }
  }

  private InferenceResponse success(String model, WorkItem item, List<InferTensor> outputs) {
    return InferenceResponse.success(
        model, item.responseId(), outputs, runner.responseParameters());
  }

  private static InferenceResponse failure(String model, WorkItem item, Exception e) {
    if (e instanceof InvalidInputException) {
      return InferenceResponse.failure(
          model, item.responseId(), ErrorCode.INVALID_INPUT, e.getMessage());
    }
    log.warn("request {} failed in the model: {}", item.responseId(), e.toString());
    return InferenceResponse.failure(
        model,
        item.responseId(),
        ErrorCode.INFERENCE_FAILED,
        "inference failed: " + e.getMessage());
  }
}
