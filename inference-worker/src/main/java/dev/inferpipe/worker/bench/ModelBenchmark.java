package dev.inferpipe.worker.bench;

import dev.inferpipe.synthetic.SyntheticTexts;
import dev.inferpipe.worker.model.minilm.EmbeddingLimits;
import dev.inferpipe.worker.model.minilm.MiniLmModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The model's in-process ceiling: batches of synthetic texts straight into the MiniLM runner, no
 * Kafka, no HTTP. For each batch size it warms up, then times forward passes for a while and prints
 * throughput and batch latency percentiles.
 */
@Command(
    name = "benchmark model",
    mixinStandardHelpOptions = true,
    description = "Measures all-MiniLM-L6-v2's in-process throughput and latency by batch size.")
public final class ModelBenchmark implements Callable<Integer> {
  @Option(
      names = "--batch-sizes",
      split = ",",
      description = "batch sizes to measure (default: ${DEFAULT-VALUE})",
      defaultValue = "1,8,32,64,128")
  int[] batchSizes;

  @Option(
      names = "--seconds",
      description = "measuring time per batch size (default: ${DEFAULT-VALUE})",
      defaultValue = "4")
  double seconds;

  @Option(
      names = "--warmup-seconds",
      description = "warm-up time per batch size (default: ${DEFAULT-VALUE})",
      defaultValue = "1.5")
  double warmupSeconds;

  @Option(
      names = "--words",
      description = "words per text as MIN-MAX (default: ${DEFAULT-VALUE})",
      defaultValue = "8-16")
  String words;

  @Option(
      names = "--bucket",
      description =
          "sort each batch by length and run forward passes of at most this many texts"
              + " (0: one pass per batch; default: ${DEFAULT-VALUE})",
      defaultValue = "16")
  int bucket;

  @Option(
      names = "--cache-dir",
      description = "converted weights (default: ${DEFAULT-VALUE})",
      defaultValue = "${sys:user.home}/.cache/inferpipe")
  Path cacheDir;

  @Override
  public Integer call() throws Exception {
    String[] range = words.split("-");
    int minWords = Integer.parseInt(range[0]);
    int maxWords = Integer.parseInt(range[range.length - 1]);
    try (MiniLmModel model =
        new MiniLmModel("all-minilm-l6-v2", cacheDir, EmbeddingLimits.DEFAULT, bucket)) {
      System.out.printf(
          Locale.ROOT,
          "all-MiniLM-L6-v2 on DJL PyTorch (libtorch, CPU), in-process; %d cores; texts of %d-%d"
              + " words; buckets of %s; %.1f s warm-up, %.1f s measured per batch size%n%n",
          Runtime.getRuntime().availableProcessors(),
          minWords,
          maxWords,
          bucket == 0 ? "the whole batch" : bucket + " texts",
          warmupSeconds,
          seconds);
      System.out.printf(
          Locale.ROOT,
          "%6s %10s %12s %11s %11s %11s %10s%n",
          "batch",
          "batches",
          "texts/s",
          "p50 ms",
          "p99 ms",
          "max ms",
          "ms/text");
      for (int size : batchSizes) {
        measure(model, size, minWords, maxWords);
      }
    }
    return 0;
  }

  private void measure(MiniLmModel model, int size, int minWords, int maxWords) {
    List<String> texts = SyntheticTexts.generate(size, size * 64, minWords, maxWords);
    int batches = texts.size() / size;
    long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
    for (int i = 0; System.nanoTime() < warmupEnd; i++) {
      model.embed(texts.subList((i % batches) * size, (i % batches + 1) * size));
    }
    Histogram latency = new Histogram(3_600_000_000_000L, 3);
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    int done = 0;
    while (System.nanoTime() < end || done < 3) {
      int b = done % batches;
      long t0 = System.nanoTime();
      model.embed(texts.subList(b * size, (b + 1) * size));
      latency.recordValue(System.nanoTime() - t0);
      done++;
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "%6d %10d %12.1f %11.2f %11.2f %11.2f %10.3f%n",
        size,
        done,
        done * size / elapsed,
        latency.getValueAtPercentile(50) / 1e6,
        latency.getValueAtPercentile(99) / 1e6,
        latency.getMaxValue() / 1e6,
        elapsed * 1000 / (done * (double) size));
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new ModelBenchmark()).execute(args));
  }
}
