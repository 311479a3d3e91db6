package dev.inferpipe.loadgen.bench;

import java.util.List;
import picocli.CommandLine.Option;

/**
 * The simulated accelerator's latency, {@code a + b·n} ms per batch: options and worker settings.
 */
final class SimulatedLatency {
  @Option(names = "--simulated-a-ms", defaultValue = "8", description = "simulated batch cost a")
  double a;

  @Option(
      names = "--simulated-b-ms",
      defaultValue = "0.1",
      description = "simulated per-item cost b")
  double b;

  /** The worker's settings for this latency. */
  List<String> workerArgs() {
    return List.of(
        "--worker.model.simulated-base-ms=" + a, "--worker.model.simulated-per-item-ms=" + b);
  }
}
