package dev.inferpipe.ingress.async;

import dev.inferpipe.contracts.ErrorCode;
import dev.inferpipe.contracts.InferenceHeaders;
import dev.inferpipe.contracts.RequestId;
import dev.inferpipe.ingress.correlation.Reply;
import java.util.function.BiConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts each record of a responses topic into the model's results store under its request id (the
 * {@code inference-request-id} header, else the record key), at the record's timestamp, and tells
 * the listener that the result is there. A record that only says an ingress accepted the request
 * ({@code inference-async-state: accepted}) is kept as pending, unless the result is already there.
 * Kafka Streams also runs it when it rebuilds the store from the topic at start.
 */
final class ResultRecorder implements Processor<String, byte[], Void, Void> {
  private static final Logger log = LoggerFactory.getLogger(ResultRecorder.class);

  /** How far before its acceptance a result may be stamped (the worker's clock may run behind). */
  private static final long ANSWER_LEAD_MS = 60_000;

  private final String storeName;
  private final String model;
  private final BiConsumer<RequestId, Reply> arrived;
  private WindowStore<String, AsyncResult> store;

  ResultRecorder(String storeName, String model, BiConsumer<RequestId, Reply> arrived) {
    this.storeName = storeName;
    this.model = model;
    this.arrived = arrived;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    RequestId id = RequestId.carried(header(record, InferenceHeaders.REQUEST_ID), record.key());
    if (id == null || record.value() == null) {
      log.debug("a response of model {} without request id or body was skipped", model);
      return;
    }
    if (InferenceHeaders.ASYNC_ACCEPTED.equals(header(record, InferenceHeaders.ASYNC_STATE))) {
      if (!answered(id, record.timestamp())) {
        store.put(id.value(), AsyncResult.accepted(model, deadline(record)), record.timestamp());
      }
      return;
    }
    String code = header(record, InferenceHeaders.ERROR_CODE);
    Reply reply = new Reply(code == null ? null : ErrorCode.fromWire(code), record.value());
    store.put(id.value(), new AsyncResult(model, reply), record.timestamp());
    arrived.accept(id, reply);
  }

  /** True if the result of {@code id} is stored already (it overtook its acceptance). */
  private boolean answered(RequestId id, long acceptedAt) {
    try (WindowStoreIterator<AsyncResult> stored =
        store.fetch(id.value(), acceptedAt - ANSWER_LEAD_MS, Long.MAX_VALUE)) {
      while (stored.hasNext()) {
        if (!stored.next().value.isPending()) {
          return true;
        }
      }
    }
    return false;
  }

  private static long deadline(Record<String, byte[]> record) {
    try {
      return Long.parseLong(header(record, InferenceHeaders.DEADLINE_MS));
    } catch (NumberFormatException | NullPointerException e) {
      return Long.MAX_VALUE;
    }
  }

  private static String header(Record<String, byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : InferenceHeaders.decode(header.value());
  }
}
