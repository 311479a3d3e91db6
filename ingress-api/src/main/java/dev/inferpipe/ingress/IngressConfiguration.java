package dev.inferpipe.ingress;

import dev.inferpipe.contracts.InferenceCodec;
import dev.inferpipe.contracts.TopicNames;
import dev.inferpipe.ingress.async.AsyncResultStore;
import dev.inferpipe.ingress.async.PendingAsyncRequests;
import dev.inferpipe.ingress.correlation.ReplyCorrelator;
import dev.inferpipe.ingress.kafka.BrokerProbe;
import dev.inferpipe.ingress.kafka.ModelsReader;
import dev.inferpipe.ingress.kafka.ReplyListener;
import dev.inferpipe.ingress.kafka.RequestPublisher;
import dev.inferpipe.ingress.models.ModelRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the correlator, the publisher, the reply listener, the async results store, the broker
 * probe, and the registry of announced models with its reader.
 */
@Configuration(proxyBeanMethods = false)
class IngressConfiguration {
  @Bean
  InferenceCodec inferenceCodec() {
    return new InferenceCodec();
  }

  @Bean
  TopicNames topicNames(IngressProperties properties) {
    return new TopicNames(properties.topicPrefix());
  }

  @Bean
  ReplyCorrelator replyCorrelator(IngressProperties properties) {
    return new ReplyCorrelator(properties.inFlightLimit());
  }

  /**
   * The models the workers announced. A model's first announcement gives it its own metric labels,
   * fetches its requests topic's metadata and lets the async results store read its responses (see
   * the beans below).
   */
  @Bean
  ModelRegistry modelRegistry() {
    return new ModelRegistry(Clock.systemUTC());
  }

  @Bean
  ModelsReader modelsReader(KafkaProperties kafka, TopicNames topics, ModelRegistry registry) {
    return new ModelsReader(kafka.buildConsumerProperties(), topics.models(), registry);
  }

  @Bean
  IngressMetrics ingressMetrics(
      MeterRegistry registry, ReplyCorrelator correlator, ModelRegistry models) {
    IngressMetrics metrics = new IngressMetrics(registry, correlator);
    models.onNewModel(metrics::addModel);
    return metrics;
  }

  @Bean(destroyMethod = "close")
  RequestPublisher requestPublisher(
      KafkaProperties kafka,
      TopicNames topics,
      IngressProperties properties,
      ModelRegistry models) {
    RequestPublisher publisher =
        new RequestPublisher(kafka.buildProducerProperties(), topics, properties.instanceIndex());
    models.onNewModel(model -> publisher.warmUp(List.of(model)));
    return publisher;
  }

  @Bean
  ReplyListener replyListener(
      KafkaProperties kafka,
      TopicNames topics,
      IngressProperties properties,
      ReplyCorrelator correlator) {
    return new ReplyListener(
        kafka.buildConsumerProperties(), topics.replies(), properties.instanceIndex(), correlator);
  }

  @Bean
  PendingAsyncRequests pendingAsyncRequests(IngressProperties properties) {
    return new PendingAsyncRequests(properties.inFlightLimit());
  }

  @Bean
  AsyncResultStore asyncResultStore(
      KafkaProperties kafka,
      TopicNames topics,
      IngressProperties properties,
      ReplyCorrelator correlator,
      ModelRegistry models,
      ModelsReader reader) {
    AsyncResultStore store =
        new AsyncResultStore(
            kafka.buildStreamsProperties(),
            kafka.buildAdminProperties(),
            topics,
            properties.instanceIndex(),
            models::names,
            reader::isCaughtUp,
            properties.async().resultRetention(),
            Clock.systemUTC(),
            correlator::completeIfWaiting,
            AsyncResultStore.TOPIC_CHECK_INTERVAL);
    models.onNewModel(model -> store.checkSoon());
    reader.onCaughtUp(store::checkSoon);
    return store;
  }

  @Bean
  BrokerProbe brokerProbe(KafkaProperties kafka, ModelRegistry models) {
    BrokerProbe probe = new BrokerProbe(kafka.buildAdminProperties());
    // while Kafka is away the models topic is silent: that says nothing about the workers
    probe.whileUnreachable(models::notHearing);
    return probe;
  }
}
