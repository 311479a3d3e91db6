package dev.inferpipe.worker.model;

import dev.inferpipe.contracts.InferTensor;
import dev.inferpipe.contracts.InferenceRequest;
import dev.inferpipe.contracts.ModelMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;

/**
 * A stand-in for an accelerator, to measure the pipeline at GPU-like speeds on a CPU: no compute, a
 * batch of n takes {@code a + b·n} ms, and each request gets its own inputs back as outputs. Every
 * response says {@code "simulated": true}, and its platform is {@code simulated}.
 *
 * <p>With {@code devices} set, at most that many batches run at once and the others wait their
 * turn, as batches from several executors do on one GPU; with 0 every caller runs at once.
 */
public final class SimulatedAccelerator implements ModelRunner {
  private static final Map<String, Object> SIMULATED = Map.of("simulated", true);

  private final ModelMetadata metadata;
  private final double baseMs;
  private final double perItemMs;
  private final int devices;
  private final Semaphore freeDevices; // null: no limit

  /**
   * @param name the model's name in the API
   * @param baseMs a: the fixed cost of one batch
   * @param perItemMs b: the added cost of each item in it
   */
  public SimulatedAccelerator(String name, double baseMs, double perItemMs) {
    this(name, baseMs, perItemMs, 0);
  }

  /**
   * @param devices how many batches may run at once; 0 for no limit
   */
  public SimulatedAccelerator(String name, double baseMs, double perItemMs, int devices) {
    if (devices < 0) {
      throw new IllegalArgumentException(
          "simulated devices must be 0 (no limit) or more, was " + devices);
    }
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
    this.devices = devices;
    this.freeDevices = devices == 0 ? null : new Semaphore(devices, true);
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
    List<List<InferTensor>> outputs = new ArrayList<>(batch.size());
    for (InferenceRequest request : batch) {
      outputs.add(request.inputs());
    }
    if (freeDevices == null) {
      occupy(batch.size());
      return outputs;
    }
    freeDevices.acquireUninterruptibly();
    try {
      occupy(batch.size());
    } finally {
      freeDevices.release();
    }
    return outputs;
  }

  private void occupy(int items) {
    long busyUntil = System.nanoTime() + (long) ((baseMs + perItemMs * items) * 1_000_000);
    for (long left; (left = busyUntil - System.nanoTime()) > 0; ) {
      LockSupport.parkNanos(left);
    }
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
        + " ms/item"
        + (devices == 0 ? "" : ", " + devices + " device(s)")
        + ")";
  }
}
