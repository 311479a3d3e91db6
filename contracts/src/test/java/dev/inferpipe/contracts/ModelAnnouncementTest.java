package dev.inferpipe.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelAnnouncementTest {
  private static final ModelMetadata MINILM =
      new ModelMetadata(
          "all-minilm-l6-v2",
          List.of("1"),
          "pytorch_libtorch",
          List.of(new TensorSpec("text", Datatype.BYTES, new long[] {-1})),
          List.of(new TensorSpec("embedding", Datatype.FP32, new long[] {-1, 384})));

  @Test
  void anInstanceRecordRoundTripsUnderItsModelAndInstanceKey() {
    ModelAnnouncement announced =
        ModelAnnouncement.instance(
            MINILM, 64, false, "pod-7", 1_700_000_000_000L, Duration.ofSeconds(5));

    ModelAnnouncement decoded = ModelAnnouncement.decode(announced.encode());

    assertThat(decoded.key()).isEqualTo("all-minilm-l6-v2/pod-7");
    assertThat(decoded.instance()).isEqualTo("pod-7");
    assertThat(decoded.maxBatchSize()).isEqualTo(64);
    assertThat(decoded.announcedAtMs()).isEqualTo(1_700_000_000_000L);
    assertThat(decoded.expiresAfterMs()).isEqualTo(5000);
    assertThat(decoded.scalesFromZero()).isFalse();
    assertThat(new String(announced.encode(), StandardCharsets.UTF_8))
        .doesNotContain("scales_from_zero");
    assertThat(decoded.metadata().platform()).isEqualTo("pytorch_libtorch");
    assertThat(decoded.metadata().outputs().get(0).shape()).containsExactly(-1, 384);
    assertThat(decoded.metadata().inputs().get(0).datatype()).isEqualTo(Datatype.BYTES);
  }

  @Test
  void theModelRecordHasNoInstanceFields() {
    ModelAnnouncement model =
        ModelAnnouncement.instance(MINILM, 64, true, "pod-7", 1L, Duration.ofSeconds(5))
            .modelRecord();

    String json = new String(model.encode(), StandardCharsets.UTF_8);

    assertThat(model.key()).isEqualTo("all-minilm-l6-v2");
    assertThat(model.isModelRecord()).isTrue();
    assertThat(json)
        .contains("\"max_batch_size\":64", "\"scales_from_zero\":true")
        .doesNotContain("instance")
        .doesNotContain("expires_after_ms");
    assertThat(ModelAnnouncement.decode(model.encode()).isModelRecord()).isTrue();
  }

  @Test
  void unknownFieldsAreLeftOutForNewerWorkers() {
    String json =
        "{\"name\":\"sim\",\"platform\":\"simulated\",\"max_batch_size\":8,\"instance\":\"a\","
            + "\"announced_at_ms\":1,\"expires_after_ms\":1000,\"gpu\":\"h100\"}";

    ModelAnnouncement decoded = ModelAnnouncement.decode(json.getBytes(StandardCharsets.UTF_8));

    assertThat(decoded.name()).isEqualTo("sim");
    assertThat(decoded.inputs()).isEmpty();
  }

  @Test
  void refusesWhatIsNoAnnouncement() {
    assertThatThrownBy(() -> ModelAnnouncement.decode("[1]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ContractViolation.class);
    assertThatThrownBy(
            () ->
                ModelAnnouncement.decode(
                    "{\"name\":\"Bad Name\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ContractViolation.class)
        .hasMessageContaining("name");
    assertThatThrownBy(
            () ->
                ModelAnnouncement.decode(
                    "{\"name\":\"sim\",\"instance\":\"a\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ContractViolation.class)
        .hasMessageContaining("expires_after_ms");
  }

  @Test
  void keysNameTheModelAndTheInstance() {
    assertThat(ModelAnnouncement.Key.parse("sim"))
        .isEqualTo(new ModelAnnouncement.Key("sim", null));
    assertThat(ModelAnnouncement.Key.parse("sim/host-12"))
        .isEqualTo(new ModelAnnouncement.Key("sim", "host-12"));
    assertThatThrownBy(() -> ModelAnnouncement.Key.parse("sim/"))
        .isInstanceOf(ContractViolation.class);
    assertThatThrownBy(() -> ModelAnnouncement.Key.parse("Not A Model"))
        .isInstanceOf(ContractViolation.class);
  }
}
