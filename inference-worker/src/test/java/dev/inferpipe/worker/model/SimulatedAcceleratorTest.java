package dev.inferpipe.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inferpipe.contracts.InferTensor;
import dev.inferpipe.contracts.InferenceRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SimulatedAcceleratorTest {
  private static final InferenceRequest REQUEST =
      InferenceRequest.of(
          "r", InferTensor.ofFloats("input", new long[] {1, 2}, new float[] {1, 2}));

  @Test
  void echoesEachRequestsInputs() {
    SimulatedAccelerator accelerator = new SimulatedAccelerator("sim", 0, 0);

    assertThat(accelerator.infer(List.of(REQUEST, REQUEST)))
        .containsExactly(REQUEST.inputs(), REQUEST.inputs());
  }

  @Test
  void oneDeviceRunsTheBatchesOfTwoCallersOneAfterTheOther() throws Exception {
    SimulatedAccelerator oneDevice = new SimulatedAccelerator("sim", 150, 0, 1);
    CountDownLatch go = new CountDownLatch(1);
    long start = System.nanoTime();
    List<CompletableFuture<Long>> finished =
        List.of(finishTime(oneDevice, go), finishTime(oneDevice, go));
    go.countDown();

    long last =
        Math.max(
            finished.get(0).get(10, TimeUnit.SECONDS), finished.get(1).get(10, TimeUnit.SECONDS));
    // two batches of 150 ms on one device cannot both be done in less than 300 ms
    assertThat(TimeUnit.NANOSECONDS.toMillis(last - start)).isGreaterThanOrEqualTo(300);
  }

  @Test
  void refusesANegativeDeviceCount() {
    assertThatThrownBy(() -> new SimulatedAccelerator("sim", 1, 0, -1))
        .hasMessageContaining("simulated devices must be 0 (no limit) or more, was -1");
  }

  private static CompletableFuture<Long> finishTime(
      SimulatedAccelerator accelerator, CountDownLatch go) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
          accelerator.infer(List.of(REQUEST));
          return System.nanoTime();
        });
  }
}
