package dev.inferpipe.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferpipe.contracts.TopicNames;
import dev.inferpipe.loadgen.trace.TraceEntry;
import dev.inferpipe.loadgen.trace.TraceFile;
import dev.inferpipe.localrun.TestKafka;
import dev.inferpipe.worker.TestWorkers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./loadgen record}: traffic a replay sent through a real broker is recorded, and replaying
 * the recording sends the same bodies with the same spacing.
 */
class RecordTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** How far a request's time in a recording may be from its time in the replayed trace. */
  private static final long SPACING_BOUND_MS = 150;

  @TempDir Path dir;

  @Test
  void aRecordingOfAReplayReplaysTheSameBodiesWithTheSameSpacing() throws Exception {
    TopicNames topics = TestKafka.newTopics(2, 1, "rec");
    String kafka = "kafka://" + TestKafka.bootstrapServers() + "?prefix=" + topics.prefix();
    Path spec = dir.resolve("spec.yaml");
    Files.writeString(
        spec,
        "seed: 5\nmodel: rec\ncount: 40\narrivals: {type: poisson, rate: 20}\n"
            + "payload: {kind: text, texts_per_request: {min: 1, max: 3}}\n");
    Path trace = dir.resolve("trace.jsonl");
    assertThat(Cli.run("make", spec.toString(), "-o", trace.toString()).exitCode()).isZero();
    ConfigurableApplicationContext worker = TestWorkers.start(topics, "rec", "simulated");
    try {
      Instant first = Instant.now();
      replay(trace, kafka, "first");
      Path recording = dir.resolve("recorded.jsonl");
      Cli record =
          Cli.run(
              "record",
              "--from",
              kafka,
              "--model",
              "rec",
              "--since",
              first.toString(),
              "-o",
              recording.toString());
      assertThat(record.exitCode()).as(record.err()).isZero();
      assertThat(record.out()).contains("recorded 40 requests");
      assertSameTraffic(TraceFile.read(recording), TraceFile.read(trace));

      Instant second = Instant.now();
      replay(recording, kafka, "second");
      Path again = dir.resolve("again.jsonl");
      Path anonymized = dir.resolve("anonymized.jsonl");
      String[] window = {
        "record", "--from", kafka, "--model", "rec", "--since", second.toString(), "-o"
      };
      assertThat(Cli.run(HttpTargetTest.concat(window, again.toString())).exitCode()).isZero();
      assertThat(
              Cli.run(HttpTargetTest.concat(window, anonymized.toString(), "--anonymize"))
                  .exitCode())
          .isZero();
      assertSameTraffic(TraceFile.read(again), TraceFile.read(recording));
      // the same window recorded twice, once anonymized
      assertAnonymized(TraceFile.read(anonymized), TraceFile.read(again));
    } finally {
      worker.close();
    }
  }

  @Test
  void recordingAWindowWithNoTrafficFailsSayingSo() {
    TopicNames topics = TestKafka.newTopics(1, 1, "quiet");
    Cli record =
        Cli.run(
            "record",
            "--from",
            "kafka://" + TestKafka.bootstrapServers() + "?prefix=" + topics.prefix(),
            "--model",
            "quiet",
            "--since",
            "5m",
            "-o",
            dir.resolve("none.jsonl").toString());

    assertThat(record.exitCode()).isNotZero();
    assertThat(record.err()).contains("no request was recorded");
  }

  private void replay(Path trace, String kafka, String name) {
    Cli replay =
        Cli.run("replay", trace.toString(), "--target", kafka, "--report", dir + "/" + name);
    assertThat(replay.exitCode()).as(replay.err()).isZero();
  }

  /**
   * Same ids and bodies in the same order, and each at its time within the bound. A recording knows
   * a request's time from its record timestamp, to the millisecond: two requests stamped in the
   * same millisecond on different partitions may be recorded in either order.
   */
  private static void assertSameTraffic(List<TraceEntry> recorded, List<TraceEntry> sent) {
    assertThat(recorded).hasSameSizeAs(sent);
    assertThat(recorded.get(0).offsetMicros()).isZero();
    Map<String, Integer> sentIndex = new HashMap<>();
    for (int i = 0; i < sent.size(); i++) {
      sentIndex.put(sent.get(i).id(), i);
    }
    long sentStart = sent.get(0).offsetMicros();
    for (int i = 0; i < recorded.size(); i++) {
      TraceEntry got = recorded.get(i);
      assertThat(sentIndex).as("recorded id").containsKey(got.id());
      TraceEntry want = sent.get(sentIndex.get(got.id()));
      assertThat(JSON.readTree(got.body())).isEqualTo(JSON.readTree(want.body()));
      long driftMs = Math.abs(got.offsetMicros() - (want.offsetMicros() - sentStart)) / 1000;
      assertThat(driftMs).as("request %s's time", got.id()).isLessThanOrEqualTo(SPACING_BOUND_MS);
      if (i > 0 && sentIndex.get(got.id()) < sentIndex.get(recorded.get(i - 1).id())) {
        assertThat(got.offsetMicros())
            .as("%s recorded after a request sent later", got.id())
            .isEqualTo(recorded.get(i - 1).offsetMicros());
      }
    }
    assertThat(recorded.stream().map(TraceEntry::id).distinct()).hasSameSizeAs(sent);
  }

  /** Other texts with as many words each; the rest of each body and the times unchanged. */
  private static void assertAnonymized(List<TraceEntry> anonymized, List<TraceEntry> original) {
    assertThat(anonymized).hasSameSizeAs(original);
    List<String> before = new ArrayList<>();
    List<String> after = new ArrayList<>();
    for (int i = 0; i < original.size(); i++) {
      JsonNode was = JSON.readTree(original.get(i).body());
      JsonNode is = JSON.readTree(anonymized.get(i).body());
      assertThat(is.get("id")).isEqualTo(was.get("id"));
      JsonNode wasTexts = was.get("inputs").get(0).get("data");
      JsonNode isTexts = is.get("inputs").get(0).get("data");
      assertThat(isTexts.size()).isEqualTo(wasTexts.size());
      for (int t = 0; t < wasTexts.size(); t++) {
        before.add(wasTexts.get(t).asString());
        after.add(isTexts.get(t).asString());
        assertThat(words(isTexts.get(t).asString())).isEqualTo(words(wasTexts.get(t).asString()));
      }
    }
    assertThat(after).doesNotContainAnyElementsOf(before);
  }

  private static int words(String text) {
    return text.strip().split("\\s+").length;
  }
}
