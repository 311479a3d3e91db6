package dev.inferpipe.ingress.kafka;

import dev.inferpipe.contracts.InferenceHeaders;
import dev.inferpipe.contracts.RequestId;
import dev.inferpipe.contracts.TopicNames;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces one record per request to {@code <prefix>.requests.<model>}, stamped with the headers
 * that bring the reply back to this instance: request id, reply topic and partition, deadline. An
 * async request carries no reply address, so the worker answers it on the model's responses topic,
 * where every instance's results store reads it.
 *
 * <p>Owns its producer; {@link #close} closes it.
 */
public final class RequestPublisher implements AutoCloseable {
  /** The most a send holds a request thread when Kafka cannot be reached. */
  static final int MAX_BLOCK_MS = 100;

  private static final Logger log = LoggerFactory.getLogger(RequestPublisher.class);
  private final KafkaProducer<String, byte[]> producer;
  private final TopicNames topics;
  private final byte[] replyTopic;
  private final byte[] replyPartition;
  private final Map<String, Object> config;

  public RequestPublisher(Map<String, Object> baseConfig, TopicNames topics, int replyPartition) {
    this.config = new HashMap<>(baseConfig);
    config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
    config.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
    // a send must never hold a request thread long when the broker is gone: fail fast, answer 503.
    // It blocks only for a topic's metadata, which warmUp fetches ahead of the first request
    config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS);
    config.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
    config.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10000);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    this.producer = new KafkaProducer<>(config);
    this.topics = topics;
    this.replyTopic = InferenceHeaders.encode(topics.replies());
    this.replyPartition = InferenceHeaders.encode(replyPartition);
  }

  /**
   * Fetches the metadata of each model's requests topic that exists, so that no request waits for
   * it; one that cannot be listed yet (Kafka still starting) is fetched by its first request.
   */
  public void warmUp(Collection<String> models) {
    Map<String, Object> adminConfig = new HashMap<>();
    config.forEach(
        (key, value) -> {
          if (AdminClientConfig.configNames().contains(key)) {
            adminConfig.put(key, value);
          }
        });
    try (Admin admin = Admin.create(adminConfig)) {
      Set<String> existing = admin.listTopics().names().get(5, TimeUnit.SECONDS);
      models.stream()
          .map(topics::requests)
          .filter(existing::contains)
          .forEach(producer::partitionsFor);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | java.util.concurrent.TimeoutException | KafkaException e) {
      log.info("the requests topics' metadata is fetched on first use: {}", e.toString());
    }
  }

  /** The effective producer settings, for {@code /config}. */
  public Map<String, Object> config() {
    return config;
  }

  /**
   * Sends the body as is; the future completes once the broker has acknowledged it.
   *
   * @param replyHere true: the reply comes to this instance's reply partition; false (async): to
   *     the model's responses topic
   */
  public CompletableFuture<RecordMetadata> publish(
      String model,
      RequestId id,
      byte[] body,
      long deadlineEpochMs,
      String traceparent,
      boolean replyHere) {
    long now = System.currentTimeMillis();
    RecordHeaders headers = new RecordHeaders();
    headers.add(InferenceHeaders.REQUEST_ID, InferenceHeaders.encode(id.value()));
    if (replyHere) {
      headers.add(InferenceHeaders.REPLY_TOPIC, replyTopic);
      headers.add(InferenceHeaders.REPLY_PARTITION, replyPartition);
    }
    headers.add(InferenceHeaders.DEADLINE_MS, InferenceHeaders.encode(deadlineEpochMs));
    headers.add(InferenceHeaders.MODEL, InferenceHeaders.encode(model));
    headers.add(
        InferenceHeaders.SCHEMA_VERSION,
        InferenceHeaders.encode(InferenceHeaders.CURRENT_SCHEMA_VERSION));
    headers.add(InferenceHeaders.ENQUEUED_MS, InferenceHeaders.encode(now));
    if (traceparent != null) {
      headers.add(InferenceHeaders.TRACEPARENT, InferenceHeaders.encode(traceparent));
    }
    return send(new ProducerRecord<>(topics.requests(model), null, now, id.value(), body, headers));
  }

  /**
   * Records on the model's responses topic that an async request was accepted, under its id, so
   * that every instance's results store knows it is pending until its result follows.
   */
  public CompletableFuture<RecordMetadata> announceAccepted(
      String model, RequestId id, long deadlineEpochMs) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(InferenceHeaders.REQUEST_ID, InferenceHeaders.encode(id.value()));
    headers.add(
        InferenceHeaders.ASYNC_STATE, InferenceHeaders.encode(InferenceHeaders.ASYNC_ACCEPTED));
    headers.add(InferenceHeaders.DEADLINE_MS, InferenceHeaders.encode(deadlineEpochMs));
    headers.add(InferenceHeaders.MODEL, InferenceHeaders.encode(model));
    byte[] body =
        ("{\"id\":\"" + id.value() + "\",\"model_name\":\"" + model + "\",\"status\":\"pending\"}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return send(new ProducerRecord<>(topics.responses(model), null, id.value(), body, headers));
  }

  private CompletableFuture<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
    CompletableFuture<RecordMetadata> sent = new CompletableFuture<>();
    try {
      producer.send(
          record,
          (metadata, failure) -> {
            if (failure != null) {
              sent.completeExceptionally(failure);
            } else {
              sent.complete(metadata);
            }
          });
    } catch (RuntimeException e) {
      sent.completeExceptionally(e);
    }
    return sent;
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
