package dev.inferpipe.ingress;

import dev.inferpipe.contracts.InferenceCodec;
import dev.inferpipe.contracts.TopicNames;
import dev.inferpipe.ingress.async.AsyncResultStore;
import dev.inferpipe.ingress.async.PendingAsyncRequests;
import dev.inferpipe.ingress.correlation.ReplyCorrelator;
import dev.inferpipe.ingress.kafka.BrokerProbe;
import dev.inferpipe.ingress.kafka.ReplyListener;
import dev.inferpipe.ingress.kafka.RequestPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the correlator, the publisher, the reply listener, the async results store and the broker
 * probe.
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

  @Bean
  IngressMetrics ingressMetrics(
      MeterRegistry registry, ReplyCorrelator correlator, IngressProperties properties) {
    return new IngressMetrics(registry, correlator, properties.models().keySet());
  }

  @Bean(destroyMethod = "close")
  RequestPublisher requestPublisher(
      KafkaProperties kafka, TopicNames topics, IngressProperties properties) {
    RequestPublisher publisher =
        new RequestPublisher(kafka.buildProducerProperties(), topics, properties.instanceIndex());
    publisher.warmUp(properties.models().keySet());
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
      ReplyCorrelator correlator) {
    return new AsyncResultStore(
        kafka.buildStreamsProperties(),
        kafka.buildAdminProperties(),
        topics,
        properties.instanceIndex(),
        properties.models().keySet(),
        properties.async().resultRetention(),
        Clock.systemUTC(),
        correlator::completeIfWaiting,
        AsyncResultStore.TOPIC_CHECK_INTERVAL);
  }

  @Bean
  BrokerProbe brokerProbe(KafkaProperties kafka) {
    return new BrokerProbe(kafka.buildAdminProperties());
  }
}
