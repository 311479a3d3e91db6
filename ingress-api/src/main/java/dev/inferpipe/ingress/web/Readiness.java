package dev.inferpipe.ingress.web;

import dev.inferpipe.contracts.ErrorCode;
import dev.inferpipe.ingress.kafka.BrokerProbe;
import dev.inferpipe.ingress.kafka.ReplyListener;
import org.springframework.stereotype.Component;

/** Whether this instance can take requests: its reply partition is read and Kafka answers. */
@Component
public class Readiness {
  private final ReplyListener replies;
  private final BrokerProbe broker;

  public Readiness(ReplyListener replies, BrokerProbe broker) {
    this.replies = replies;
    this.broker = broker;
  }

  public boolean isReady() {
    return replies.isAssigned() && broker.isReachable();
  }

  /** Throws a 503 that says which part is missing. */
  public void requireReady() {
    if (!broker.isReachable()) {
      throw new IngressException(ErrorCode.BROKER_UNAVAILABLE, "Kafka is unreachable; retry later");
    }
    if (!replies.isAssigned()) {
      throw new IngressException(
          ErrorCode.BROKER_UNAVAILABLE,
          "not ready: reply partition " + replies.partition() + " is not assigned yet");
    }
  }

  public String replyPartition() {
    return replies.partition().toString();
  }

  public boolean brokerReachable() {
    return broker.isReachable();
  }

  public boolean replyPartitionAssigned() {
    return replies.isAssigned();
  }
}
