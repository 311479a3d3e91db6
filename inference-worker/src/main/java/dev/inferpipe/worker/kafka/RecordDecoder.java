package dev.inferpipe.worker.kafka;

import dev.inferpipe.contracts.ContractViolation;
import dev.inferpipe.contracts.ErrorCode;
import dev.inferpipe.contracts.InferenceCodec;
import dev.inferpipe.contracts.InferenceHeaders;
import dev.inferpipe.contracts.InferenceRequest;
import dev.inferpipe.contracts.RequestId;
import dev.inferpipe.worker.batch.WorkItem;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Reads a request record: its body through the contract codec, its id, deadline and reply address
 * from the headers. A record from a direct producer may carry no headers at all: its id comes from
 * the body (or, failing that, the record's key, then its position in the log) and its answer goes
 * to the responses topic. A rejected record is answered under the id its producer can match: the
 * {@code inference-request-id} header, else the record's key, else whatever id the body shows.
 */
final class RecordDecoder {
  private final InferenceCodec codec;
  private final String responsesTopic;

  RecordDecoder(InferenceCodec codec, String responsesTopic) {
    this.codec = codec;
    this.responsesTopic = responsesTopic;
  }

  DecodedRecord decode(ConsumerRecord<String, byte[]> record) {
    Headers headers = record.headers();
    String headerId = header(headers, InferenceHeaders.REQUEST_ID);
    ReplyAddress replyTo;
    try {
      replyTo = replyAddress(headers);
    } catch (ContractViolation e) {
      return rejected(record, headerId, e, null);
    }
    long deadline;
    try {
      deadline = longHeader(headers, InferenceHeaders.DEADLINE_MS, Long.MAX_VALUE);
    } catch (ContractViolation e) {
      return rejected(record, headerId, e, replyTo);
    }
    InferenceRequest request;
    try {
      request = codec.decodeRequest(record.value());
    } catch (ContractViolation e) {
      return rejected(record, headerId, e, replyTo);
    }
    RequestId id = firstNonEmpty(headerId, request.id(), record.key(), positionId(record));
    long enqueued;
    try {
      enqueued = longHeader(headers, InferenceHeaders.ENQUEUED_MS, record.timestamp());
    } catch (ContractViolation e) {
      enqueued = record.timestamp(); // only feeds a metric: not worth failing the request
    }
    return new DecodedRecord.Accepted(new WorkItem(id, request, deadline, enqueued), replyTo);
  }

  private DecodedRecord.Rejected rejected(
      ConsumerRecord<String, byte[]> record,
      String headerId,
      ContractViolation violation,
      ReplyAddress replyTo) {
    RequestId id =
        firstNonEmpty(
            headerId,
            record.key(),
            record.value() == null ? null : codec.peekId(record.value()),
            positionId(record));
    return new DecodedRecord.Rejected(
        id, ErrorCode.INVALID_REQUEST, violation.getMessage(), replyTo);
  }

  private ReplyAddress replyAddress(Headers headers) {
    String topic = header(headers, InferenceHeaders.REPLY_TOPIC);
    if (topic == null || topic.isEmpty()) {
      return new ReplyAddress(responsesTopic, null);
    }
    String partition = header(headers, InferenceHeaders.REPLY_PARTITION);
    if (partition == null) {
      return new ReplyAddress(topic, null);
    }
    try {
      int value = Integer.parseInt(partition);
      if (value < 0) {
        throw new NumberFormatException();
      }
      return new ReplyAddress(topic, value);
    } catch (NumberFormatException e) {
      throw new ContractViolation(
          "header " + InferenceHeaders.REPLY_PARTITION,
          "expected a non-negative integer, was '" + partition + "'");
    }
  }

  private static long longHeader(Headers headers, String name, long absent) {
    String value = header(headers, name);
    if (value == null) {
      return absent;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new ContractViolation(
          "header " + name,
          "expected epoch milliseconds as a decimal integer, was '" + value + "'");
    }
  }

  static String header(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null ? null : InferenceHeaders.decode(header.value());
  }

  private static String positionId(ConsumerRecord<String, byte[]> record) {
    return record.topic() + "-" + record.partition() + "-" + record.offset();
  }

  /**
   * The first of {@code candidates} that is not empty; the last, the record's position, never is.
   */
  private static RequestId firstNonEmpty(String... candidates) {
    for (String candidate : candidates) {
      if (candidate != null && !candidate.isEmpty()) {
        return new RequestId(candidate);
      }
    }
    throw new IllegalStateException("no request id");
  }
}
