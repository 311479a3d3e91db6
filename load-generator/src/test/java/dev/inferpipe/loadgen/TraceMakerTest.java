package dev.inferpipe.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inferpipe.loadgen.trace.SpecFile;
import dev.inferpipe.loadgen.trace.TraceEntry;
import dev.inferpipe.loadgen.trace.TraceFile;
import dev.inferpipe.loadgen.trace.TraceMaker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceMakerTest {
  @TempDir Path dir;

  private Path spec(String yaml) throws Exception {
    Path file = Files.createTempFile(dir, "spec", ".yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void theSameSpecAndSeedGiveAByteIdenticalTrace() throws Exception {
    Path spec = Path.of("specs/poisson-embeddings.yaml");
    Path first = dir.resolve("a.jsonl");
    Path second = dir.resolve("b.jsonl");

    TraceFile.write(TraceMaker.make(SpecFile.read(spec)), first);
    TraceFile.write(TraceMaker.make(SpecFile.read(spec)), second);

    assertThat(Files.readAllBytes(first)).isEqualTo(Files.readAllBytes(second));
    assertThat(Files.size(first)).isGreaterThan(10_000);
  }

  @Test
  void anotherSeedGivesAnotherTrace() throws Exception {
    String yaml = "model: m\nduration: 5s\narrivals: {type: poisson, rate: 20}\nseed: ";
    List<TraceEntry> one = TraceMaker.make(SpecFile.read(spec(yaml + "1")));
    List<TraceEntry> two = TraceMaker.make(SpecFile.read(spec(yaml + "2")));

    assertThat(one.get(0).offsetMicros()).isNotEqualTo(two.get(0).offsetMicros());
  }

  @Test
  void aTraceSurvivesWritingAndReading() throws Exception {
    List<TraceEntry> made = TraceMaker.make(SpecFile.read(Path.of("specs/bursts-embeddings.yaml")));
    Path file = dir.resolve("t.jsonl");
    TraceFile.write(made, file);

    List<TraceEntry> read = TraceFile.read(file);
    Path again = dir.resolve("u.jsonl");
    TraceFile.write(read, again);

    assertThat(read).hasSameSizeAs(made);
    assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(file));
  }

  @Test
  void stepsFollowTheirRates() throws Exception {
    List<TraceEntry> trace =
        TraceMaker.make(
            SpecFile.read(
                spec(
                    "seed: 5\nmodel: m\narrivals:\n  type: steps\n  poisson: false\n  steps:\n"
                        + "    - {rate: 10, seconds: 2}\n    - {rate: 0, seconds: 1}\n"
                        + "    - {rate: 50, seconds: 2}\n")));

    long first = trace.stream().filter(e -> e.offsetMicros() < 2_000_000).count();
    long pause =
        trace.stream()
            .filter(e -> e.offsetMicros() >= 2_000_000 && e.offsetMicros() < 3_000_000)
            .count();
    long last = trace.stream().filter(e -> e.offsetMicros() >= 3_000_000).count();
    assertThat(first).isBetween(19L, 21L);
    assertThat(pause).isZero();
    assertThat(last).isBetween(99L, 101L);
  }

  @Test
  void aRampAndBurstsShapeTheLoad() throws Exception {
    List<TraceEntry> ramp =
        TraceMaker.make(
            SpecFile.read(
                spec(
                    "seed: 1\nmodel: m\nduration: 10s\narrivals: {type: ramp, from: 10, to: 90, poisson: false}\n")));
    long early = ramp.stream().filter(e -> e.offsetMicros() < 2_000_000).count();
    long late = ramp.stream().filter(e -> e.offsetMicros() >= 8_000_000).count();
    assertThat(late).isGreaterThan(early * 4);

    List<TraceEntry> bursts =
        TraceMaker.make(
            SpecFile.read(
                spec(
                    "seed: 1\nmodel: m\nduration: 4s\narrivals: {type: bursts, rate: 0, burst_size: 25,"
                        + " burst_every_seconds: 2}\n")));
    assertThat(bursts).hasSize(50);
    assertThat(bursts.get(24).offsetMicros()).isZero();
    assertThat(bursts.get(25).offsetMicros()).isEqualTo(2_000_000);
  }

  @Test
  void aBadSpecIsRefusedNamingTheField() throws Exception {
    assertThatThrownBy(
            () ->
                SpecFile.read(
                    spec("model: m\nduration: 3s\narrivals: {type: poisson, rate: 1, rat: 2}\n")))
        .hasMessageContaining("Unrecognized property \"rat\"");
    assertThatThrownBy(
            () -> SpecFile.read(spec("model: m\nduration: 3s\narrivals: {type: poisson}\n")))
        .hasMessageContaining("arrivals.rate: must be positive for poisson, was 0.0");
    assertThatThrownBy(
            () ->
                SpecFile.read(
                    spec("model: m\nduration: soon\narrivals: {type: poisson, rate: 1}\n")))
        .hasMessageContaining("a duration must look like 500ms, 30s, 2m, 1h or PT1M, was 'soon'");
  }
}
