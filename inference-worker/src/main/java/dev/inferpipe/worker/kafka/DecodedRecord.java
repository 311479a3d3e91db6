package dev.inferpipe.worker.kafka;

import dev.inferpipe.contracts.ErrorCode;
import dev.inferpipe.worker.batch.WorkItem;

/** A request record after decoding: work for the batch, or a rejection for the dead letters. */
sealed interface DecodedRecord {
  /** Where the answer goes; null if the record does not say and no id is known. */
  ReplyAddress replyTo();

  String requestId();

  record Accepted(WorkItem item, ReplyAddress replyTo) implements DecodedRecord {
    @Override
    public String requestId() {
      return item.requestId();
    }
  }

  record Rejected(String requestId, ErrorCode code, String reason, ReplyAddress replyTo)
      implements DecodedRecord {}
}
