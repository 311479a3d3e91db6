package dev.inferpipe.worker.model;

import dev.inferpipe.contracts.InferTensor;
import dev.inferpipe.contracts.InferenceRequest;
import dev.inferpipe.contracts.ModelMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * A stand-in for an accelerator, to measure the pipeline at GPU-like speeds on a CPU: no compute, a
 * batch of n takes {@code a + b·n} ms, and each request gets its own inputs back as outputs. Every
 * response says {@code "simulated": true}, and its platform is {@code simulated}.
 */
public final class SimulatedAccelerator implements ModelRunner {
  private static final Map<String, Object> SIMULATED = Map.of("simulated", true);

  private final ModelMetadata metadata;
  private final double baseMs;
  private final double perItemMs;

  /**
   * @param name the model's name in the API
   * @param baseMs a: the fixed cost of one batch
   * @param perItemMs b: the added cost of each item in it
   */
  public SimulatedAccelerator(String name, double baseMs, double perItemMs) {
    if (baseMs < 0 || perItemMs < 0) {
      throw new IllegalArgumentException(
          "simulated latency must not be negative, was a="
              + baseMs
              + " ms, b="
              + perItemMs
              + " ms");
    }
    this.metadata = new ModelMetadata(name, List.of("1"), "simulated", List.of(), List.of());
    this.baseMs = baseMs;
    this.perItemMs = perItemMs;
  }

  @Override
  public ModelMetadata metadata() {
    return metadata;
  }

  /** Takes any inputs: it echoes them. */
  @Override
  public void validate(InferenceRequest request) {}

  @Override
  public List<List<InferTensor>> infer(List<InferenceRequest> batch) {
    long busyUntil = System.nanoTime() + (long) ((baseMs + perItemMs * batch.size()) * 1_000_000);
    List<List<InferTensor>> outputs = new ArrayList<>(batch.size());
    for (InferenceRequest request : batch) {
      outputs.add(request.inputs());
    }
    for (long left; (left = busyUntil - System.nanoTime()) > 0; ) {
      LockSupport.parkNanos(left);
    }
    return outputs;
  }

  @Override
  public Map<String, Object> responseParameters() {
    return SIMULATED;
  }

  @Override
  public String toString() {
    return "simulated accelerator '"
        + metadata.name()
        + "' (a="
        + baseMs
        + " ms, b="
        + perItemMs
        + " ms/item)";
  }
}
