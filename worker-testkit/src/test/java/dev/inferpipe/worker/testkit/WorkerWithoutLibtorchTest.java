package dev.inferpipe.worker.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inferpipe.contracts.InferTensor;
import dev.inferpipe.contracts.InferenceCodec;
import dev.inferpipe.contracts.InferenceRequest;
import dev.inferpipe.contracts.InferenceResponse;
import dev.inferpipe.contracts.TopicNames;
import dev.inferpipe.localrun.TestKafka;
import dev.inferpipe.worker.TestWorkers;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What the test kit promises the modules that depend on it: a real worker, started in the test's
 * JVM against the test broker, answers a request, with neither libtorch nor the tokenizers on the
 * classpath.
 */
class WorkerWithoutLibtorchTest {
  private static final InferenceCodec CODEC = new InferenceCodec();

  @Test
  void libtorchAndTheTokenizersAreNotOnTheClasspath() {
    assertThatThrownBy(() -> Class.forName("ai.djl.pytorch.engine.PtEngine"))
        .isInstanceOf(ClassNotFoundException.class);
    assertThatThrownBy(() -> Class.forName("ai.djl.huggingface.tokenizers.HuggingFaceTokenizer"))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void aSimulatedWorkerServesARequestThroughTheBroker() throws Exception {
    TopicNames topics = TestKafka.newTopics(1, 1, "kit");
    ConfigurableApplicationContext worker = TestWorkers.start(topics, "kit", "simulated");
    try (KafkaProducer<String, byte[]> producer = TestKafka.producer()) {
      byte[] request =
          CODEC.encode(
              InferenceRequest.of("kit-1", InferTensor.ofStrings("text", new String[] {"hello"})));
      producer.send(new ProducerRecord<>(topics.requests("kit"), "kit-1", request)).get();

      ConsumerRecord<String, byte[]> answer =
          TestKafka.read(topics.responses("kit"), 1, Duration.ofSeconds(60)).get(0);

      InferenceResponse response = CODEC.decodeResponse(answer.value());
      assertThat(response.id()).isEqualTo("kit-1");
      assertThat(response.errorCode()).isNull();
    } finally {
      worker.close();
    }
  }
}
