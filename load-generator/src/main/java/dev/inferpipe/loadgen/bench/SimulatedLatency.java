package dev.inferpipe.loadgen.bench;

import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The simulated accelerator's latency, {@code a + b·n} ms per batch, and how many batches it runs
 * at once: options and worker settings.
 */
final class SimulatedLatency {
  @Option(names = "--simulated-a-ms", defaultValue = "8", description = "simulated batch cost a")
  double a;

  @Option(
      names = "--simulated-b-ms",
      defaultValue = "0.1",
      description = "simulated per-item cost b")
  double b;

  @Option(
      names = "--simulated-devices",
      defaultValue = "1",
      description =
          "batches the simulated accelerator runs at once in the worker, as one GPU runs one;"
              + " 0: one device per executor (default: ${DEFAULT-VALUE})")
  int devices;

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "simulated: %.1f ms + %.2f ms per item, %s",
        a,
        b,
        devices == 0 ? "one device per executor" : devices + " device(s) per worker process");
  }

  /** The worker's settings for this latency. */
  List<String> workerArgs() {
    return List.of(
        "--worker.model.simulated-base-ms=" + a,
        "--worker.model.simulated-per-item-ms=" + b,
        "--worker.model.simulated-devices=" + devices);
  }
}
