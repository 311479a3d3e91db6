package dev.inferpipe.contracts;

import java.nio.charset.StandardCharsets;

/**
 * Kafka record header names. Values are UTF-8 strings (numbers in decimal), so any Kafka client,
 * kcat included, can write them.
 */
public final class InferenceHeaders {
  /** Correlates a reply with its request; also the record key. */
  public static final String REQUEST_ID = "inference-request-id";

  /** Topic the worker replies to. Absent on records from direct producers. */
  public static final String REPLY_TOPIC = "inference-reply-topic";

  /** Partition of {@link #REPLY_TOPIC} that the waiting ingress instance reads. */
  public static final String REPLY_PARTITION = "inference-reply-partition";

  /** Epoch milliseconds after which nobody waits for the answer; the worker skips the work. */
  public static final String DEADLINE_MS = "inference-deadline-ms";

  /**
   * On a responses topic: {@code accepted} marks a record that says an ingress accepted this async
   * request and its result is to come (the record before the result, under the same key). Readers
   * of the responses topic that want results only skip these.
   */
  public static final String ASYNC_STATE = "inference-async-state";

  /** The value of {@link #ASYNC_STATE} on an accepted-request record. */
  public static final String ASYNC_ACCEPTED = "accepted";

  /** The model the request is for. */
  public static final String MODEL = "inference-model";

  /** The contract version of the body; see {@link #CURRENT_SCHEMA_VERSION}. */
  public static final String SCHEMA_VERSION = "inference-schema-version";

  /** Epoch milliseconds at which the request was produced, to measure queue time. */
  public static final String ENQUEUED_MS = "inference-enqueued-ms";

  /** On replies: epoch microseconds (worker clock) at which the worker fetched the request. */
  public static final String FETCHED_US = "inference-fetched-us";

  /** On replies: epoch microseconds (worker clock) at which the request's batch started. */
  public static final String BATCH_STARTED_US = "inference-batch-started-us";

  /** On replies: epoch microseconds (worker clock) at which the request's forward pass ended. */
  public static final String COMPUTED_US = "inference-computed-us";

  /** W3C trace context. */
  public static final String TRACEPARENT = "traceparent";

  /** On error replies and dead letters: the {@link ErrorCode} name. */
  public static final String ERROR_CODE = "inference-error-code";

  /** On dead letters: why the record was rejected. */
  public static final String DLQ_REASON = "inference-dlq-reason";

  /** On dead letters: the topic, partition and offset the record came from. */
  public static final String DLQ_SOURCE = "inference-dlq-source";

  public static final String CURRENT_SCHEMA_VERSION = "1";

  private InferenceHeaders() {}

  /** Now, in epoch microseconds, for the stage headers. */
  public static long epochMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
  }

  public static byte[] encode(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] encode(long value) {
    return encode(Long.toString(value));
  }

  public static String decode(byte[] value) {
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }
}
