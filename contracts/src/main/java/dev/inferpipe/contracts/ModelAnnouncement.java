package dev.inferpipe.contracts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A record of the compacted {@link TopicNames#models()} topic, by which a worker announces the
 * model it serves. There are two kinds, both in this JSON form:
 *
 * <ul>
 *   <li>the <b>model record</b>, key {@code <model>}, {@code instance} absent: the model exists.
 *       Every worker writes it when it starts; nothing removes it, so a model whose workers are all
 *       gone stays known (and unavailable) until an operator writes a tombstone for it;
 *   <li>an <b>instance record</b>, key {@code <model>/<instance>}: one worker process serves the
 *       model. It is written again every announce interval with a new {@code announced_at_ms}; the
 *       instance counts as gone once none has come for {@code expires_after_ms} (a worker killed
 *       without stopping), or at once when its key gets a tombstone (a worker that stopped
 *       cleanly).
 * </ul>
 *
 * @param name the model's name in the API and in topic names
 * @param versions the versions served
 * @param platform what runs it, for example {@code pytorch_libtorch} or {@code simulated}
 * @param inputs the inputs the model takes
 * @param outputs the outputs the model gives
 * @param maxBatchSize the most requests the worker runs in one forward pass
 * @param scalesFromZero true when an autoscaler starts the model's workers once requests wait for
 *     them (KEDA with {@code minReplicaCount} 0): requests are then queued, not refused, while no
 *     worker runs
 * @param instance the worker instance, for example {@code host-pid}; null in the model record
 * @param announcedAtMs when the worker wrote the record, epoch milliseconds of its clock
 * @param expiresAfterMs how long the instance counts as live without a newer record; 0 in the model
 *     record
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelAnnouncement(
    String name,
    List<String> versions,
    String platform,
    List<TensorSpec> inputs,
    List<TensorSpec> outputs,
    @JsonProperty("max_batch_size") int maxBatchSize,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("scales_from_zero")
        boolean scalesFromZero,
    String instance,
    @JsonProperty("announced_at_ms") long announcedAtMs,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("expires_after_ms")
        long expiresAfterMs) {
  // a missing number reads as 0: expires_after_ms is absent from the model record
  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  public ModelAnnouncement {
    if (!TopicNames.isValidModelName(name)) {
      throw new ContractViolation("name", "expected a model name, was " + name);
    }
    if (instance != null && (instance.isEmpty() || instance.contains("/"))) {
      throw new ContractViolation("instance", "expected a name without '/', was " + instance);
    }
    if (instance != null && expiresAfterMs <= 0) {
      throw new ContractViolation(
          "expires_after_ms", "expected a positive number, was " + expiresAfterMs);
    }
    versions = versions == null ? List.of() : List.copyOf(versions);
    inputs = inputs == null ? List.of() : List.copyOf(inputs);
    outputs = outputs == null ? List.of() : List.copyOf(outputs);
  }

  /** The instance record of a worker {@code instance} serving {@code metadata}'s model. */
  public static ModelAnnouncement instance(
      ModelMetadata metadata,
      int maxBatchSize,
      boolean scalesFromZero,
      String instance,
      long announcedAtMs,
      Duration expiresAfter) {
    return new ModelAnnouncement(
        metadata.name(),
        metadata.versions(),
        metadata.platform(),
        metadata.inputs(),
        metadata.outputs(),
        maxBatchSize,
        scalesFromZero,
        instance,
        announcedAtMs,
        expiresAfter.toMillis());
  }

  /** The model record with this record's metadata. */
  public ModelAnnouncement modelRecord() {
    return new ModelAnnouncement(
        name,
        versions,
        platform,
        inputs,
        outputs,
        maxBatchSize,
        scalesFromZero,
        null,
        announcedAtMs,
        0);
  }

  /** The record's key on the models topic. */
  public String key() {
    return new Key(name, instance).toString();
  }

  /** The model's metadata as the Open Inference Protocol serves it. */
  public ModelMetadata metadata() {
    return new ModelMetadata(name, versions, platform, inputs, outputs);
  }

  @JsonIgnore
  public boolean isModelRecord() {
    return instance == null;
  }

  public byte[] encode() {
    return MAPPER.writeValueAsBytes(this);
  }

  /**
   * Decodes a record's value; fields it does not know are left out, so that newer workers can add
   * some.
   *
   * @throws ContractViolation if it is not an announcement
   */
  public static ModelAnnouncement decode(byte[] json) {
    try {
      ModelAnnouncement announcement = MAPPER.readValue(json, ModelAnnouncement.class);
      if (announcement == null) {
        throw new ContractViolation("", "expected a JSON object");
      }
      return announcement;
    } catch (JacksonException e) {
      if (e.getCause() instanceof ContractViolation violation) {
        throw violation;
      }
      throw new ContractViolation("", "not a model announcement: " + e.getOriginalMessage());
    }
  }

  /**
   * A key of the models topic: {@code <model>} for the model record, {@code <model>/<instance>} for
   * an instance record.
   */
  public record Key(String model, String instance) {
    /**
     * Parses a key.
     *
     * @throws ContractViolation if it names no legal model
     */
    public static Key parse(String key) {
      int slash = key == null ? -1 : key.indexOf('/');
      String model = slash < 0 ? key : key.substring(0, slash);
      String instance = slash < 0 ? null : key.substring(slash + 1);
      if (!TopicNames.isValidModelName(model) || (instance != null && instance.isEmpty())) {
        throw new ContractViolation("key", "expected <model> or <model>/<instance>, was " + key);
      }
      return new Key(model, instance);
    }

    @Override
    public String toString() {
      return instance == null ? model : model + "/" + instance;
    }
  }
}
