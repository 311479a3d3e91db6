package dev.inferpipe.worker.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.inferpipe.contracts.ContractViolation;
import dev.inferpipe.contracts.InferenceCodec;
import dev.inferpipe.contracts.InferenceRequest;
import dev.inferpipe.contracts.InferenceResponse;
import dev.inferpipe.contracts.RequestId;
import dev.inferpipe.worker.batch.BatchListener;
import dev.inferpipe.worker.batch.BatchPolicy;
import dev.inferpipe.worker.batch.BatchProcessor;
import dev.inferpipe.worker.batch.BatchQueue;
import dev.inferpipe.worker.batch.WorkItem;
import dev.inferpipe.worker.model.ModelRunner;
import dev.inferpipe.worker.model.SimulatedAccelerator;
import dev.inferpipe.worker.model.minilm.EmbeddingLimits;
import dev.inferpipe.worker.model.minilm.MiniLmModel;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What a user could run instead of the pipeline, for the benchmark to compare against: the seed's
 * design in one process, with no broker. HTTP ({@code POST /v2/models/<model>/infer}) goes into an
 * in-memory {@link BatchQueue}; {@code --instances} executors take batches from it and run them
 * with this project's own runners, so the model costs the same as in the worker. Runs until killed.
 */
@Command(
    name = "single-process-server",
    mixinStandardHelpOptions = true,
    description = "HTTP into an in-memory batch queue and the model, in one process (a baseline).")
public final class SingleProcessServer implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "8090", description = "HTTP port")
  int port;

  @Option(
      names = "--model",
      defaultValue = "all-minilm-l6-v2",
      description = "all-minilm-l6-v2 or simulated")
  String model;

  @Option(names = "--batch-size", defaultValue = "64")
  int batchSize;

  @Option(names = "--batch-wait-ms", defaultValue = "5")
  int batchWaitMs;

  @Option(names = "--instances", defaultValue = "2", description = "executors")
  int instances;

  @Option(names = "--http-threads", defaultValue = "256")
  int httpThreads;

  @Option(names = "--simulated-a-ms", defaultValue = "8")
  double simulatedA;

  @Option(names = "--simulated-b-ms", defaultValue = "0.1")
  double simulatedB;

  @Option(names = "--simulated-devices", defaultValue = "1")
  int simulatedDevices;

  @Option(names = "--cache-dir", defaultValue = "${sys:user.home}/.cache/inferpipe")
  Path cacheDir;

  private final InferenceCodec codec = new InferenceCodec();

  private record Pending(WorkItem item, CompletableFuture<InferenceResponse> answer) {}

  @Override
  public Integer call() throws Exception {
    BatchQueue<Pending> queue =
        new BatchQueue<>(new BatchPolicy(batchSize, Duration.ofMillis(batchWaitMs)));
    try (ModelRunner runner = runner()) {
      BatchProcessor processor = new BatchProcessor(runner, Clock.systemUTC(), BatchListener.NONE);
      for (int i = 0; i < instances; i++) {
        Thread executor = new Thread(() -> execute(queue, processor), "executor-" + i);
        executor.setDaemon(true);
        executor.start();
      }
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
      server.setExecutor(Executors.newFixedThreadPool(httpThreads));
      server.createContext("/", exchange -> handle(exchange, queue));
      server.start();
      System.out.printf(
          "single-process server: %s, batch %d, wait %d ms, %d executor(s), on"
              + " http://127.0.0.1:%d%n",
          runner, batchSize, batchWaitMs, instances, port);
      new CountDownLatch(1).await(); // until killed
    }
    return 0;
  }

  private ModelRunner runner() throws Exception {
    if (model.equals("simulated")) {
      return new SimulatedAccelerator("simulated", simulatedA, simulatedB, simulatedDevices);
    }
    return new MiniLmModel(model, cacheDir, EmbeddingLimits.DEFAULT, 16);
  }

  private void handle(HttpExchange exchange, BatchQueue<Pending> queue) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      InferenceRequest request;
      try {
        request = codec.decodeRequest(body);
      } catch (ContractViolation e) {
        respond(exchange, 400, e.getMessage().getBytes(StandardCharsets.UTF_8));
        return;
      }
      long now = System.currentTimeMillis();
      Pending pending =
          new Pending(
              new WorkItem(RequestId.random(), request, now + 10_000, now),
              new CompletableFuture<>());
      queue.add(pending, pending.item().deadlineEpochMs());
      InferenceResponse response = pending.answer().get(10, TimeUnit.SECONDS);
      respond(exchange, response.isError() ? 500 : 200, codec.encode(response));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      respond(exchange, 504, new byte[0]);
    }
  }

  private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static void execute(BatchQueue<Pending> queue, BatchProcessor processor) {
    try {
      while (true) {
        BatchQueue.Batch<Pending> batch = queue.take(Duration.ofSeconds(1));
        answer(batch.expired(), processor.expired(items(batch.expired())));
        if (!batch.items().isEmpty()) {
          answer(batch.items(), processor.process(items(batch.items())));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static List<WorkItem> items(List<Pending> pending) {
    return pending.stream().map(Pending::item).toList();
  }

  private static void answer(List<Pending> pending, List<InferenceResponse> responses) {
    for (int i = 0; i < pending.size(); i++) {
      pending.get(i).answer().complete(responses.get(i));
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new SingleProcessServer()).execute(args));
  }
}
