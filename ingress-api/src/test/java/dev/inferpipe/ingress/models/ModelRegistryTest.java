package dev.inferpipe.ingress.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inferpipe.contracts.ContractViolation;
import dev.inferpipe.contracts.Datatype;
import dev.inferpipe.contracts.ModelAnnouncement;
import dev.inferpipe.contracts.ModelMetadata;
import dev.inferpipe.contracts.TensorSpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelRegistryTest {
  private static final Duration EXPIRY = Duration.ofSeconds(5);

  /** A clock the test moves by hand. */
  private static final class HandClock extends Clock {
    long millis = 1_700_000_000_000L;

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  private final HandClock clock = new HandClock();
  private final ModelRegistry registry = new ModelRegistry(clock);

  private static ModelMetadata metadata(String model, String output) {
    return new ModelMetadata(
        model,
        List.of("1"),
        "simulated",
        List.of(new TensorSpec("input", Datatype.FP32, new long[] {-1})),
        List.of(new TensorSpec(output, Datatype.FP32, new long[] {-1})));
  }

  private ModelAnnouncement announce(String model, String instance, String output) {
    ModelAnnouncement announcement =
        ModelAnnouncement.instance(
            metadata(model, output), 8, false, instance, clock.millis(), EXPIRY);
    registry.apply(announcement.key(), announcement.encode());
    return announcement;
  }

  @Test
  void anUnannouncedModelIsUnknown() {
    assertThat(registry.find("sim")).isNull();
    assertThat(registry.names()).isEmpty();
  }

  @Test
  void anAnnouncedInstanceServesItsModelUntilItMissesItsAnnouncements() {
    announce("sim", "a", "output");

    ModelRegistry.ServedModel served = registry.find("sim");
    assertThat(served.isAvailable()).isTrue();
    assertThat(served.instances()).containsExactly("a");
    assertThat(served.maxBatchSize()).isEqualTo(8);
    assertThat(served.metadata().platform()).isEqualTo("simulated");

    clock.millis += EXPIRY.toMillis() - 1;
    assertThat(registry.find("sim").isAvailable()).isTrue();
    clock.millis += 1;
    assertThat(registry.find("sim").isAvailable()).isFalse();
    assertThat(registry.find("sim").metadata().name()).isEqualTo("sim");

    announce("sim", "a", "output");
    assertThat(registry.find("sim").instances()).containsExactly("a");
  }

  @Test
  void silenceWhileKafkaIsAwayDoesNotExpireAnInstance() {
    announce("sim", "a", "output");

    // Kafka is away for 10 s: the probe says so every second
    for (int second = 1; second <= 10; second++) {
      clock.millis += 1000;
      registry.notHearing();
    }
    assertThat(registry.find("sim").isAvailable()).as("while Kafka is away").isTrue();

    // back: the instance has a full expiry to be heard again
    clock.millis += EXPIRY.toMillis() - 1;
    assertThat(registry.find("sim").isAvailable()).isTrue();
    clock.millis += 1;
    assertThat(registry.find("sim").isAvailable()).as("not heard since Kafka came back").isFalse();
  }

  @Test
  void severalInstancesServeOneModelAndATombstoneEndsOnlyItsOwn() {
    ModelAnnouncement a = announce("sim", "a", "output");
    registry.apply(a.modelRecord().key(), a.modelRecord().encode());
    announce("sim", "b", "output");
    announce("other", "c", "output");

    assertThat(registry.find("sim").instances()).containsExactly("a", "b");
    assertThat(registry.names()).containsExactly("other", "sim");

    registry.apply("sim/a", null);
    assertThat(registry.find("sim").instances()).containsExactly("b");
    registry.apply("sim/b", null);
    ModelRegistry.ServedModel gone = registry.find("sim");
    assertThat(gone.isAvailable()).isFalse();
    // the model record keeps it known
    assertThat(gone.metadata()).usingRecursiveComparison().isEqualTo(a.metadata());
    assertThat(registry.find("other").instances()).containsExactly("c");
  }

  @Test
  void theNewestLiveInstanceDescribesTheModel() {
    ModelAnnouncement old = announce("sim", "a", "old_output");
    registry.apply(old.modelRecord().key(), old.modelRecord().encode());
    clock.millis += 100;
    announce("sim", "b", "new_output");

    assertThat(registry.find("sim").metadata().outputs().get(0).name()).isEqualTo("new_output");

    registry.apply("sim/b", null);
    assertThat(registry.find("sim").metadata().outputs().get(0).name()).isEqualTo("old_output");
  }

  @Test
  void aRecordLeftByAnInstanceKilledLongAgoIsNotLive() {
    ModelAnnouncement stale =
        ModelAnnouncement.instance(
            metadata("sim", "output"),
            8,
            false,
            "killed",
            clock.millis() - EXPIRY.plus(ModelRegistry.CLOCK_TOLERANCE).toMillis(),
            EXPIRY);
    registry.apply(stale.key(), stale.encode());

    assertThat(registry.find("sim").isAvailable()).isFalse();
    assertThat(registry.names()).containsExactly("sim");
  }

  @Test
  void aWorkerClockBehindByLessThanTheToleranceStillCounts() {
    ModelAnnouncement behind =
        ModelAnnouncement.instance(
            metadata("sim", "output"), 8, false, "a", clock.millis() - 20_000, EXPIRY);
    registry.apply(behind.key(), behind.encode());

    assertThat(registry.find("sim").instances()).containsExactly("a");
  }

  @Test
  void listenersHearOfEachModelOnce() {
    List<String> heard = new ArrayList<>();
    registry.onNewModel(heard::add);

    announce("sim", "a", "output");
    announce("sim", "b", "output");
    announce("sim", "a", "output");
    announce("other", "a", "output");

    assertThat(heard).containsExactly("sim", "other");
  }

  @Test
  void tombstonesForEverythingForgetTheModel() {
    ModelAnnouncement a = announce("sim", "a", "output");
    registry.apply(a.modelRecord().key(), a.modelRecord().encode());

    registry.apply("sim/a", null);
    registry.apply("sim", null);

    assertThat(registry.find("sim")).isNull();
  }

  @Test
  void refusesRecordsThatAreNoAnnouncements() {
    byte[] sim = announce("sim", "a", "output").encode();
    assertThatThrownBy(() -> registry.apply("sim/b", sim))
        .isInstanceOf(ContractViolation.class)
        .hasMessageContaining("sim/a");
    assertThatThrownBy(() -> registry.apply("sim/c", "nope".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ContractViolation.class);
    assertThatThrownBy(() -> registry.apply("Bad Key", null)).isInstanceOf(ContractViolation.class);
  }
}
