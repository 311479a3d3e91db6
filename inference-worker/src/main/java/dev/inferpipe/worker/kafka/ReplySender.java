package dev.inferpipe.worker.kafka;

import dev.inferpipe.contracts.InferenceCodec;
import dev.inferpipe.contracts.InferenceHeaders;
import dev.inferpipe.contracts.InferenceResponse;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
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

  /** Sends {@code response}, keyed and correlated by {@code requestId}. */
  Future<RecordMetadata> reply(ReplyAddress to, String requestId, InferenceResponse response) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(InferenceHeaders.REQUEST_ID, InferenceHeaders.encode(requestId));
    headers.add(InferenceHeaders.MODEL, InferenceHeaders.encode(model));
    headers.add(
        InferenceHeaders.SCHEMA_VERSION,
        InferenceHeaders.encode(InferenceHeaders.CURRENT_SCHEMA_VERSION));
    if (response.isError()) {
      headers.add(
          InferenceHeaders.ERROR_CODE, InferenceHeaders.encode(response.errorCode().name()));
    }
    return producer.send(
        new ProducerRecord<>(
            to.topic(), to.partition(), response.id(), codec.encode(response), headers));
  }

  /** Answers a rejected record with its error, where its reply address could be read. */
  Future<RecordMetadata> rejection(DecodedRecord.Rejected rejected) {
    return reply(
        rejected.replyTo(),
        rejected.requestId(),
        InferenceResponse.failure(model, rejected.requestId(), rejected.code(), rejected.reason()));
  }

  /** Copies the record, headers and all, to {@code dlqTopic} with the reason in a header. */
  Future<RecordMetadata> deadLetter(
      String dlqTopic, ConsumerRecord<String, byte[]> record, DecodedRecord.Rejected rejection) {
    RecordHeaders headers = new RecordHeaders(record.headers().toArray());
    headers.add(InferenceHeaders.DLQ_REASON, InferenceHeaders.encode(rejection.reason()));
    headers.add(InferenceHeaders.ERROR_CODE, InferenceHeaders.encode(rejection.code().name()));
    headers.add(
        InferenceHeaders.DLQ_SOURCE,
        InferenceHeaders.encode(record.topic() + "/" + record.partition() + "@" + record.offset()));
    return producer.send(
        new ProducerRecord<>(dlqTopic, null, record.key(), record.value(), headers));
  }
}
