package dev.inferpipe.profiles;

import dev.inferpipe.profiles.PerformanceProfile.Autoscaling;
import dev.inferpipe.profiles.PerformanceProfile.Deadlines;
import dev.inferpipe.profiles.PerformanceProfile.Ingress;
import dev.inferpipe.profiles.PerformanceProfile.Pod;
import dev.inferpipe.profiles.PerformanceProfile.Producer;
import dev.inferpipe.profiles.PerformanceProfile.Resources;
import dev.inferpipe.profiles.PerformanceProfile.Topics;
import dev.inferpipe.profiles.PerformanceProfile.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one schema every profile follows: which keys exist, their types and ranges, and the rules
 * that tie fields together (worker replicas and consumers against request partitions, deadlines).
 * All problems of a file are reported at once, each naming its field.
 */
public final class ProfileSchema {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,40}");
  private static final Pattern ANY_LINE = Pattern.compile("[^\\n]{1,200}");
  private static final Pattern CPU = Pattern.compile("[1-9][0-9]*m|[0-9]+(\\.[0-9]+)?");
  private static final Pattern MEMORY = Pattern.compile("[1-9][0-9]*(Mi|Gi)");
  private static final Pattern ACKS = Pattern.compile("all|1");
  private static final Pattern COMPRESSION = Pattern.compile("none|gzip|snappy|lz4|zstd");
  private static final Duration MS = Duration.ofMillis(1);

  private ProfileSchema() {}

  /**
   * Checks a parsed profile file and builds the profile.
   *
   * @param source where the values came from, for messages (e.g. {@code profiles/production.yaml})
   * @param expectedName the name the file's location implies; the {@code name} field must match
   * @throws InvalidProfileException listing every problem found
   */
  public static PerformanceProfile read(String source, String expectedName, Map<?, ?> document) {
    List<String> problems = new ArrayList<>();
    ProfileSection root = new ProfileSection("", document, problems);
    String name = root.text("name", NAME, "lowercase letters, digits and dashes");
    String description = root.text("description", ANY_LINE, "one line of at most 200 characters");
    Worker worker = worker(root.section("worker"));
    Autoscaling autoscaling = autoscaling(root.section("autoscaling"));
    Ingress ingress = ingress(root.section("ingress"));
    Topics topics = topics(root.section("topics"));
    Producer producer = producer(root.section("producer"));
    Deadlines deadlines = deadlines(root.section("deadlines"));
    ProfileSection resources = root.section("resources");
    Resources pods =
        new Resources(pod(resources.section("worker"), 8), pod(resources.section("ingress"), 0));
    resources.rejectUnknownKeys();
    root.rejectUnknownKeys();
    if (!name.isEmpty() && !name.equals(expectedName)) {
      problems.add("name must be '" + expectedName + "' (the file's name), was '" + name + "'");
    }
    PerformanceProfile profile =
        new PerformanceProfile(
            name, description, worker, autoscaling, ingress, topics, producer, deadlines, pods);
    if (problems.isEmpty()) {
      crossFieldRules(profile, problems);
    }
    if (!problems.isEmpty()) {
      throw new InvalidProfileException(source, problems);
    }
    return profile;
  }

  private static Worker worker(ProfileSection section) {
    Worker worker =
        new Worker(
            section.integer("batchSize", 1, 1024),
            section.duration("batchWait", Duration.ZERO, Duration.ofSeconds(1)),
            section.integer("instances", 1, 64),
            section.integer("minReplicas", 0, 1000),
            section.integer("maxReplicas", 1, 1000),
            section.duration("replyTimeout", Duration.ofSeconds(1), Duration.ofMinutes(5)));
    section.rejectUnknownKeys();
    return worker;
  }

  private static Autoscaling autoscaling(ProfileSection section) {
    Autoscaling autoscaling =
        new Autoscaling(
            section.integer("lagThreshold", 1, 1_000_000),
            section.integer("activationLagThreshold", 0, 1_000_000),
            section.integer("requestPartitions", 1, 1000));
    section.rejectUnknownKeys();
    return autoscaling;
  }

  private static Ingress ingress(ProfileSection section) {
    Ingress ingress =
        new Ingress(
            section.integer("minReplicas", 1, 100),
            section.integer("maxReplicas", 1, 100),
            section.integer("inFlightLimit", 1, 1_000_000),
            section.integer("serverThreads", 1, 2000),
            section.integer("acceptBacklog", 1, 65_535),
            section.duration("keepAlive", MS, Duration.ofMinutes(10)));
    section.rejectUnknownKeys();
    return ingress;
  }

  private static Topics topics(ProfileSection section) {
    Topics topics =
        new Topics(
            section.integer("replicas", 1, 10),
            section.integer("minInSyncReplicas", 1, 10),
            section.integer("replyPartitions", 1, 1000));
    section.rejectUnknownKeys();
    return topics;
  }

  private static Producer producer(ProfileSection section) {
    Producer producer =
        new Producer(
            section.integer("lingerMs", 0, 1000),
            section.text("acks", ACKS, "'all' or '1' (at-least-once needs the broker's ack)"),
            section.text("compression", COMPRESSION, "one of none, gzip, snappy, lz4, zstd"));
    section.rejectUnknownKeys();
    return producer;
  }

  private static Deadlines deadlines(ProfileSection section) {
    Deadlines deadlines =
        new Deadlines(
            section.duration("default", MS, Duration.ofMinutes(10)),
            section.duration("max", MS, Duration.ofMinutes(10)));
    section.rejectUnknownKeys();
    return deadlines;
  }

  private static Pod pod(ProfileSection section, int maxGpu) {
    Pod pod =
        new Pod(
            section.text("cpu", CPU, "a CPU quantity such as 500m or 4"),
            section.text("memory", MEMORY, "a memory quantity in Mi or Gi, such as 512Mi or 8Gi"),
            section.integer("gpu", 0, maxGpu));
    section.rejectUnknownKeys();
    return pod;
  }

  private static void crossFieldRules(PerformanceProfile profile, List<String> problems) {
    Worker worker = profile.worker();
    int partitions = profile.autoscaling().requestPartitions();
    if (worker.minReplicas() > worker.maxReplicas()) {
      problems.add(
          "worker.minReplicas must be at most worker.maxReplicas ("
              + worker.maxReplicas()
              + "), was "
              + worker.minReplicas());
    }
    if (worker.maxReplicas() > partitions) {
      problems.add(
          "worker.maxReplicas must be at most autoscaling.requestPartitions ("
              + partitions
              + "): KEDA never runs more consumers than partitions, was "
              + worker.maxReplicas());
    }
    Ingress ingress = profile.ingress();
    if (ingress.minReplicas() > ingress.maxReplicas()) {
      problems.add(
          "ingress.minReplicas must be at most ingress.maxReplicas ("
              + ingress.maxReplicas()
              + "), was "
              + ingress.minReplicas());
    }
    Topics topics = profile.topics();
    if (ingress.maxReplicas() > topics.replyPartitions()) {
      problems.add(
          "ingress.maxReplicas must be at most topics.replyPartitions ("
              + topics.replyPartitions()
              + "): ingress pod i reads reply partition i, so a pod beyond them never becomes"
              + " ready and stalls a rolling update, was "
              + ingress.maxReplicas());
    }
    if (topics.minInSyncReplicas() > topics.replicas()) {
      problems.add(
          "topics.minInSyncReplicas must be at most topics.replicas ("
              + topics.replicas()
              + "): no write with acks=all could succeed, was "
              + topics.minInSyncReplicas());
    }
    Deadlines deadlines = profile.deadlines();
    if (deadlines.defaultTimeout().compareTo(deadlines.maxTimeout()) > 0) {
      problems.add(
          "deadlines.default must be at most deadlines.max ("
              + Durations.format(deadlines.maxTimeout())
              + "), was "
              + Durations.format(deadlines.defaultTimeout()));
    }
    if (worker.batchWait().compareTo(deadlines.defaultTimeout()) >= 0) {
      problems.add(
          "worker.batchWait must be shorter than deadlines.default ("
              + Durations.format(deadlines.defaultTimeout())
              + "), was "
              + Durations.format(worker.batchWait()));
    }
  }
}
