package dev.inferpipe.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every shipped profile is valid; a broken one is refused with its field and the reason. */
class ProfileSchemaTest {
  private final ProfileCatalog catalog = Repository.layout().catalog();

  @Test
  void theFiveProfilesAreShippedAndValid() {
    assertThat(catalog.names())
        .containsExactlyInAnyOrder(
            "development", "production", "high-throughput", "cost-optimized", "low-latency");
    catalog.names().forEach(catalog::load);
  }

  @Test
  void theSeedValuesAreKept() {
    assertWorker("production", 64, Duration.ofMillis(5), 1);
    assertWorker("high-throughput", 128, Duration.ofMillis(2), 2);
    assertWorker("cost-optimized", 32, Duration.ofMillis(10), 1);
    assertThat(catalog.load("development").worker().batchSize()).isEqualTo(8);
    assertThat(catalog.load("low-latency").worker().batchWait()).isZero();
  }

  @Test
  void aFieldOutOfRangeIsNamedWithTheReason() {
    assertThat(problems(production().replace("batchSize: 64", "batchSize: 0")))
        .containsExactly("worker.batchSize must be between 1 and 1024, was 0");
  }

  @Test
  void unknownKeysAreRefused() {
    assertThat(problems(production().replace("batchSize: 64", "batchSize: 64\n  batchsize: 9")))
        .singleElement()
        .asString()
        .startsWith("unknown key worker.batchsize; expected one of [batchSize, batchWait");
    assertThat(problems(production() + "extra: true\n"))
        .singleElement()
        .asString()
        .startsWith("unknown key extra;");
  }

  @Test
  void missingFieldsAndWrongTypesAreNamed() {
    assertThat(problems(production().replace("  lingerMs: 0\n", "")))
        .containsExactly("producer.lingerMs is required");
    assertThat(problems(production().replace("batchWait: 5ms", "batchWait: soon")))
        .containsExactly("worker.batchWait must be a duration such as 5ms, 10s or 2m, was 'soon'");
    assertThat(problems(production().replace("acks: all", "acks: \"0\"")))
        .containsExactly(
            "producer.acks must be 'all' or '1' (at-least-once needs the broker's ack), was '0'");
  }

  @Test
  void workerReplicasMayNotExceedRequestPartitions() {
    assertThat(problems(production().replace("maxReplicas: 4", "maxReplicas: 40")))
        .containsExactly(
            "worker.maxReplicas must be at most autoscaling.requestPartitions (32): KEDA never"
                + " runs more consumers than partitions, was 40");
  }

  @Test
  void ingressReplicasMayNotExceedReplyPartitions() {
    assertThat(problems(production().replace("maxReplicas: 8", "maxReplicas: 9")))
        .containsExactly(
            "ingress.maxReplicas must be at most topics.replyPartitions (8): ingress pod i reads"
                + " reply partition i, so a pod beyond them never becomes ready and stalls a"
                + " rolling update, was 9");
  }

  @Test
  void topicsNeedAsManyReplicasAsTheyRequireInSync() {
    assertThat(problems(production().replace("minInSyncReplicas: 2", "minInSyncReplicas: 4")))
        .containsExactly(
            "topics.minInSyncReplicas must be at most topics.replicas (3): no write with acks=all"
                + " could succeed, was 4");
  }

  @Test
  void theDevelopmentTopicsFitOneBrokerAndTheOthersThree() {
    for (String name : catalog.names()) {
      PerformanceProfile.Topics topics = catalog.load(name).topics();
      if (name.equals("development")) {
        assertThat(topics.replicas()).isEqualTo(1);
        assertThat(topics.minInSyncReplicas()).isEqualTo(1);
      } else {
        assertThat(topics.replicas()).as(name).isEqualTo(3);
        assertThat(topics.minInSyncReplicas()).as(name).isEqualTo(2);
      }
    }
  }

  @Test
  void deadlinesMustBeOrdered() {
    assertThat(problems(production().replace("default: 10s", "default: 2m")))
        .containsExactly("deadlines.default must be at most deadlines.max (1m), was 2m");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    String broken =
        production()
            .replace("batchSize: 64", "batchSize: 5000")
            .replace("memory: 8Gi", "memory: lots")
            .replace("name: production", "name: prod");
    assertThat(problems(broken))
        .containsExactlyInAnyOrder(
            "worker.batchSize must be between 1 and 1024, was 5000",
            "resources.worker.memory must be a memory quantity in Mi or Gi, such as 512Mi or 8Gi,"
                + " was 'lots'",
            "name must be 'production' (the file's name), was 'prod'");
  }

  @Test
  void textThatIsNotAMappingIsRefused() {
    assertThat(problems("- just\n- a list\n"))
        .containsExactly("the file must hold one YAML mapping");
    assertThat(problems("worker: [unclosed\n"))
        .singleElement()
        .asString()
        .startsWith("not valid YAML");
  }

  private void assertWorker(String name, int batchSize, Duration wait, int instances) {
    PerformanceProfile.Worker worker = catalog.load(name).worker();
    assertThat(worker.batchSize()).as(name).isEqualTo(batchSize);
    assertThat(worker.batchWait()).as(name).isEqualTo(wait);
    assertThat(worker.instances()).as(name).isEqualTo(instances);
  }

  private static String production() {
    try {
      return Files.readString(Repository.root().resolve("profiles/production.yaml"));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static List<String> problems(String yaml) {
    try {
      ProfileCatalog.parse("production.yaml", "production", yaml);
      throw new AssertionError("expected the profile to be refused");
    } catch (InvalidProfileException e) {
      assertThat(e.getMessage()).startsWith("invalid profile production.yaml:");
      return e.problems();
    }
  }
}
