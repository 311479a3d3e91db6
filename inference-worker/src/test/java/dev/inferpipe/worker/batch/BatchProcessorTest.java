package dev.inferpipe.worker.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferpipe.contracts.ErrorCode;
import dev.inferpipe.contracts.InferTensor;
import dev.inferpipe.contracts.InferenceRequest;
import dev.inferpipe.contracts.InferenceResponse;
import dev.inferpipe.contracts.ModelMetadata;
import dev.inferpipe.contracts.RequestId;
import dev.inferpipe.worker.model.ModelRunner;
import dev.inferpipe.worker.model.SimulatedAccelerator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchProcessorTest {
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_000_000), ZoneOffset.UTC);
  private final List<Integer> batchSizes = new ArrayList<>();
  private final BatchListener sizes =
      new BatchListener() {
        @Override
        public void batchRan(int size, long nanos) {
          batchSizes.add(size);
        }
      };

  private static WorkItem item(String id, float value, long deadline) {
    InferenceRequest request =
        InferenceRequest.of(
            id, InferTensor.ofFloats("input", new long[] {1, 1}, new float[] {value}));
    return new WorkItem(new RequestId(id), request, deadline, 0);
  }

  @Test
  void runsOneForwardPassAndAnswersEachItemInOrder() {
    BatchProcessor processor =
        new BatchProcessor(new SimulatedAccelerator("sim", 0, 0), CLOCK, sizes);

    List<InferenceResponse> responses =
        processor.process(
            List.of(
                item("a", 1, Long.MAX_VALUE),
                item("b", 2, Long.MAX_VALUE),
                item("c", 3, Long.MAX_VALUE)));

    assertThat(batchSizes).containsExactly(3);
    assertThat(responses).extracting(InferenceResponse::id).containsExactly("a", "b", "c");
    assertThat(responses.get(1).output("input").floats()).containsExactly(2f);
    assertThat(responses.get(0).parameters()).containsEntry("simulated", true);
  }

  @Test
  void skipsExpiredItemsWithoutComputing() {
    BatchProcessor processor =
        new BatchProcessor(new SimulatedAccelerator("sim", 0, 0), CLOCK, sizes);

    List<InferenceResponse> responses =
        processor.process(
            List.of(item("late", 1, CLOCK.millis() - 12), item("ok", 2, Long.MAX_VALUE)));

    assertThat(responses.get(0).errorCode()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
    assertThat(responses.get(0).error()).contains("12 ms");
    assertThat(responses.get(1).isError()).isFalse();
    assertThat(batchSizes).containsExactly(1);
  }

  @Test
  void aBadInputFailsOnlyItsOwnRequest() {
    ModelRunner failsOnNegative =
        new ModelRunner() {
          @Override
          public ModelMetadata metadata() {
            return new ModelMetadata("picky", List.of("1"), "test", List.of(), List.of());
          }

          @Override
          public void validate(InferenceRequest request) {}

          @Override
          public List<List<InferTensor>> infer(List<InferenceRequest> batch) {
            List<List<InferTensor>> outputs = new ArrayList<>();
            for (InferenceRequest request : batch) {
              if (request.inputs().get(0).floats()[0] < 0) {
                throw new IllegalStateException("negative input");
              }
              outputs.add(request.inputs());
            }
            return outputs;
          }
        };
    BatchProcessor processor = new BatchProcessor(failsOnNegative, CLOCK, sizes);

    List<InferenceResponse> responses =
        processor.process(
            List.of(
                item("a", 1, Long.MAX_VALUE),
                item("bad", -1, Long.MAX_VALUE),
                item("c", 3, Long.MAX_VALUE)));

    assertThat(responses.get(0).isError()).isFalse();
    assertThat(responses.get(1).errorCode()).isEqualTo(ErrorCode.INFERENCE_FAILED);
    assertThat(responses.get(1).error()).contains("negative input");
    assertThat(responses.get(2).isError()).isFalse();
  }
}
