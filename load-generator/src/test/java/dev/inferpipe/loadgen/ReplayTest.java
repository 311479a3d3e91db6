package dev.inferpipe.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.inferpipe.contracts.TopicNames;
import dev.inferpipe.loadgen.drive.OpenLoop;
import dev.inferpipe.loadgen.drive.Outcome;
import dev.inferpipe.loadgen.drive.Target;
import dev.inferpipe.loadgen.report.RunRecorder;
import dev.inferpipe.loadgen.report.RunReport;
import dev.inferpipe.loadgen.trace.SpecFile;
import dev.inferpipe.loadgen.trace.TraceEntry;
import dev.inferpipe.loadgen.trace.TraceMaker;
import dev.inferpipe.localrun.TestKafka;
import dev.inferpipe.worker.TestWorkers;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/** Replays send the trace's requests, in the trace's order, every time. */
class ReplayTest {
  private static final Pattern ID = Pattern.compile("\"id\":\"(r\\d+)\"");

  @TempDir Path dir;

  private List<TraceEntry> trace(String model, String kind, int count) throws Exception {
    Path spec = dir.resolve("spec-" + model + ".yaml");
    Files.writeString(
        spec,
        "seed: 9\nmodel: "
            + model
            + "\ncount: "
            + count
            + "\ntimeout_ms: 20000\narrivals: {type: poisson, rate: 400}\npayload: {kind: "
            + kind
            + "}\n");
    return TraceMaker.make(SpecFile.read(spec));
  }

  /** Replays through a target that remembers what it was asked to send, in order. */
  private static List<String> replay(List<TraceEntry> entries, Target target, RunRecorder recorder)
      throws Exception {
    List<String> sent = Collections.synchronizedList(new ArrayList<>());
    Target recording =
        new Target() {
          @Override
          public CompletableFuture<Outcome> send(TraceEntry entry) {
            sent.add(entry.id());
            return target.send(entry);
          }

          @Override
          public String describe() {
            return target.describe();
          }

          @Override
          public void close() {
            target.close();
          }
        };
    OpenLoop.run(entries, 1, recording, recorder);
    return sent;
  }

  @Test
  void twoHttpReplaysSendTheSameSequenceAndEveryRequestArrives() throws Exception {
    List<TraceEntry> entries = trace("sim", "tensor", 200);
    List<String> received = Collections.synchronizedList(new ArrayList<>());
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/v2/models/sim/infer",
        exchange -> {
          Matcher id =
              ID.matcher(
                  new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          received.add(id.find() ? id.group(1) : "?");
          byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
    server.start();
    String uri = "http://127.0.0.1:" + server.getAddress().getPort();
    try {
      List<List<String>> runs = new ArrayList<>();
      for (int run = 0; run < 2; run++) {
        received.clear();
        RunRecorder recorder = new RunRecorder(System.nanoTime());
        try (Target target = Target.of(uri, 8)) {
          runs.add(replay(entries, target, recorder));
        }
        RunReport report = recorder.report(Map.of());
        assertThat(report.completed()).isEqualTo(200);
        assertThat(received).containsExactlyInAnyOrderElementsOf(runs.get(run));
      }
      assertThat(runs.get(0)).hasSize(200).isEqualTo(runs.get(1));
      assertThat(runs.get(0)).isEqualTo(entries.stream().map(TraceEntry::id).toList());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void twoKafkaReplaysProduceTheSameSequenceAndReadEveryAnswer() throws Exception {
    TopicNames topics = TestKafka.newTopics(1, 1, "sim");
    ConfigurableApplicationContext worker = TestWorkers.start(topics, "sim", "simulated");
    try {
      List<TraceEntry> entries = trace("sim", "tensor", 150);
      for (int run = 0; run < 2; run++) {
        RunRecorder recorder = new RunRecorder(System.nanoTime());
        try (Target target =
            Target.of(
                "kafka://" + TestKafka.bootstrapServers() + "?prefix=" + topics.prefix(), 1)) {
          replay(entries, target, recorder);
        }
        assertThat(recorder.report(Map.of()).completed()).isEqualTo(150);
      }
      List<String> produced =
          TestKafka.read(topics.requests("sim"), 300, Duration.ofSeconds(30)).stream()
              .map(r -> r.key())
              .toList();
      assertThat(produced.subList(0, 150)).isEqualTo(produced.subList(150, 300));
      assertThat(produced.subList(0, 150)).isEqualTo(entries.stream().map(TraceEntry::id).toList());
    } finally {
      worker.close();
    }
  }
}
