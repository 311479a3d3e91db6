package dev.inferpipe.localrun;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferpipe.contracts.TopicNames;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

class PipelineTopicsTest {
  @Test
  void createsEveryTopicOfEachModelWithItsPartitions() throws Exception {
    TopicNames names = TestKafka.newTopics(3, 2, "alpha", "beta");

    try (Admin admin = TestKafka.admin()) {
      Set<String> topics = admin.listTopics().names().get();
      assertThat(topics)
          .contains(
              names.replies(),
              names.models(),
              names.requests("alpha"),
              names.responses("alpha"),
              names.deadLetters(names.requests("alpha")),
              names.requests("beta"));
      var described =
          admin
              .describeTopics(java.util.List.of(names.requests("alpha"), names.replies()))
              .allTopicNames()
              .get();
      assertThat(described.get(names.requests("alpha")).partitions()).hasSize(3);
      assertThat(described.get(names.replies()).partitions()).hasSize(2);
      assertThat(config(admin, names.responses("alpha"), TopicConfig.RETENTION_MS_CONFIG))
          .isEqualTo(PipelineTopics.RESPONSES_RETENTION_MS);
      assertThat(config(admin, names.models(), TopicConfig.CLEANUP_POLICY_CONFIG))
          .isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
    }
  }

  private static String config(Admin admin, String topic, String name) throws Exception {
    var resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return admin
        .describeConfigs(java.util.List.of(resource))
        .all()
        .get()
        .get(resource)
        .get(name)
        .value();
  }

  @Test
  void creatingTwiceIsHarmless() throws Exception {
    TopicNames names = TestKafka.newTopics(1, 1, "gamma");
    try (Admin admin = TestKafka.admin()) {
      new PipelineTopics(admin, names)
          .create(java.util.List.of("gamma"), 1, 1, java.time.Duration.ofSeconds(10));
    }
  }
}
