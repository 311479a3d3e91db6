package dev.inferpipe.worker.kafka;

import dev.inferpipe.contracts.ErrorCode;
import dev.inferpipe.contracts.RequestId;
import dev.inferpipe.worker.batch.WorkItem;

/** A request record after decoding: work for the batch, or a rejection for the dead letters. */
sealed interface DecodedRecord {
  /** Where the answer goes; null if the record does not say and no id is known. */
  ReplyAddress replyTo();

  RequestId requestId();

  record Accepted(WorkItem item, ReplyAddress replyTo) implements DecodedRecord {
    @Override
    public RequestId requestId() {
      return item.requestId();
    }
  }

  record Rejected(RequestId requestId, ErrorCode code, String reason, ReplyAddress replyTo)
      implements DecodedRecord {}
}
