package dev.inferpipe.ingress.web;

import dev.inferpipe.contracts.ErrorCode;
import dev.inferpipe.ingress.IngressMetrics;
import dev.inferpipe.ingress.async.AsyncResultStore;
import dev.inferpipe.ingress.kafka.BrokerProbe;
import dev.inferpipe.ingress.kafka.ModelsReader;
import dev.inferpipe.ingress.kafka.ReplyListener;
import org.springframework.stereotype.Component;

/**
 * Whether this instance can take requests: its reply partition is read, Kafka answers, the models
 * topic has been read, and the async results store can be read.
 */
@Component
public class Readiness {
  private final ReplyListener replies;
  private final BrokerProbe broker;
  private final AsyncResultStore results;
  private final ModelsReader models;

  public Readiness(
      ReplyListener replies,
      BrokerProbe broker,
      AsyncResultStore results,
      ModelsReader models,
      IngressMetrics metrics) {
    this.replies = replies;
    this.broker = broker;
    this.results = results;
    this.models = models;
    metrics.watchKafka(broker::isReachable, replies::isAssigned);
  }

  public boolean isReady() {
    return replies.isAssigned()
        && broker.isReachable()
        && results.isReadable()
        && models.isCaughtUp();
  }

  /** Throws a 503 until the models topic has been read: until then no model is known. */
  public void requireModelsRead() {
    if (!models.isCaughtUp()) {
      throw new IngressException(
          ErrorCode.BROKER_UNAVAILABLE,
          "not ready: the models are not known yet (" + models.state() + ")");
    }
  }

  /** What the models topic's reader is doing. */
  public String modelsState() {
    return models.state();
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

  /** Throws a 503 unless async requests for {@code model} can be answered. */
  public void requireAsyncResults(String model) {
    if (!results.isReadable()) {
      throw new IngressException(
          ErrorCode.BROKER_UNAVAILABLE,
          "not ready for async requests: the results store is " + results.state());
    }
    if (!results.models().contains(model)) {
      throw new IngressException(
          ErrorCode.BROKER_UNAVAILABLE,
          "async requests for model '"
              + model
              + "' are unavailable: its responses topic does not exist (checked every "
              + AsyncResultStore.TOPIC_CHECK_INTERVAL.toSeconds()
              + " s)");
    }
  }

  /** The state of the async results store and the models it serves. */
  public String asyncResults() {
    return results.state() + " " + results.models();
  }

  public String replyPartition() {
    return replies.partition().toString();
  }

  /** Hears that a record could not be handed to Kafka: see {@link BrokerProbe#sendFailed}. */
  public void sendFailed(Throwable failure) {
    broker.sendFailed(failure);
  }

  public boolean brokerReachable() {
    return broker.isReachable();
  }

  public boolean replyPartitionAssigned() {
    return replies.isAssigned();
  }
}
