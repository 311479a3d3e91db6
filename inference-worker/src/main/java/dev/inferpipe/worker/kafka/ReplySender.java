package dev.inferpipe.worker.kafka;

import dev.inferpipe.contracts.InferenceCodec;
import dev.inferpipe.contracts.InferenceHeaders;
import dev.inferpipe.contracts.InferenceResponse;
import dev.inferpipe.contracts.RequestId;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Produces answers to their reply address, and rejected records to the dead-letter topic. */
final class ReplySender {
  private final Producer<String, byte[]> producer;
  private final InferenceCodec codec;
  private final String model;

  ReplySender(Producer<String, byte[]> producer, InferenceCodec codec, String model) {
    this.producer = producer;
    this.codec = codec;
    this.model = model;
  }

  /**
   * Sends {@code response}, keyed and correlated by {@code requestId}, with its stage times (epoch
   * microseconds; 0 leaves a stage out); {@code done} hears the ack.
   */
  void reply(
      ReplyAddress to,
      RequestId requestId,
      InferenceResponse response,
      Stages stages,
      Callback done) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(InferenceHeaders.REQUEST_ID, InferenceHeaders.encode(requestId.value()));
    headers.add(InferenceHeaders.MODEL, InferenceHeaders.encode(model));
    headers.add(
        InferenceHeaders.SCHEMA_VERSION,
        InferenceHeaders.encode(InferenceHeaders.CURRENT_SCHEMA_VERSION));
    if (response.isError()) {
      headers.add(
          InferenceHeaders.ERROR_CODE, InferenceHeaders.encode(response.errorCode().name()));
    }
    stages.addTo(headers);
    send(
        new ProducerRecord<>(
            to.topic(), to.partition(), response.id(), codec.encode(response), headers),
        done);
  }

  /** Answers a rejected record with its error, where its reply address could be read. */
  void rejection(DecodedRecord.Rejected rejected, Callback done) {
    reply(
        rejected.replyTo(),
        rejected.requestId(),
        InferenceResponse.failure(
            model, rejected.requestId().value(), rejected.code(), rejected.reason()),
        Stages.NONE,
        done);
  }

  /** Copies the record, headers and all, to {@code dlqTopic} with the reason in a header. */
  void deadLetter(
      String dlqTopic,
      ConsumerRecord<String, byte[]> record,
      DecodedRecord.Rejected rejection,
      Callback done) {
    RecordHeaders headers = new RecordHeaders(record.headers().toArray());
    headers.add(InferenceHeaders.DLQ_REASON, InferenceHeaders.encode(rejection.reason()));
    headers.add(InferenceHeaders.ERROR_CODE, InferenceHeaders.encode(rejection.code().name()));
    headers.add(
        InferenceHeaders.DLQ_SOURCE,
        InferenceHeaders.encode(record.topic() + "/" + record.partition() + "@" + record.offset()));
    send(new ProducerRecord<>(dlqTopic, null, record.key(), record.value(), headers), done);
  }

  /**
   * When the worker fetched the request, started its batch and ended its forward pass, in epoch
   * microseconds (0: not reached), carried on the reply for the ingress's latency budget.
   */
  record Stages(long fetchedUs, long batchStartedUs, long computedUs) {
    static final Stages NONE = new Stages(0, 0, 0);

    void addTo(RecordHeaders headers) {
      add(headers, InferenceHeaders.FETCHED_US, fetchedUs);
      add(headers, InferenceHeaders.BATCH_STARTED_US, batchStartedUs);
      add(headers, InferenceHeaders.COMPUTED_US, computedUs);
    }

    private static void add(RecordHeaders headers, String name, long micros) {
      if (micros > 0) {
        headers.add(name, InferenceHeaders.encode(micros));
      }
    }
  }

  /** Sends; a send the producer refuses at once (a full buffer, a closed producer) fails too. */
  private void send(ProducerRecord<String, byte[]> record, Callback done) {
    try {
      producer.send(record, done);
    } catch (KafkaException e) {
      done.onCompletion(null, e);
    }
  }
}
