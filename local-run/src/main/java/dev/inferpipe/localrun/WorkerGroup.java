package dev.inferpipe.localrun;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * A worker group as the broker sees it: which member holds which request partitions, and whether a
 * member belongs to a worker process of this run. A worker's consumers are named {@code
 * worker-<model>-<pid>}; a member whose pid is not one of this run's workers is left from an
 * earlier run (a worker that was killed, or a broker restarted on the same data), and holds its
 * partitions until its session expires.
 */
public final class WorkerGroup {
  /** The group's members now. */
  public record Snapshot(String group, int partitions, Map<String, Set<TopicPartition>> members) {
    /** Members whose client id names none of {@code pids}. */
    public List<String> strangers(Set<Long> pids) {
      return members.keySet().stream().filter(client -> !ownedBy(client, pids)).sorted().toList();
    }

    /** Whether the members of {@code pids} hold every partition between them. */
    public boolean servedBy(Set<Long> pids) {
      return members.entrySet().stream()
              .filter(member -> ownedBy(member.getKey(), pids))
              .mapToInt(member -> member.getValue().size())
              .sum()
          == partitions;
    }

    /** One line on what keeps the group from serving with the workers {@code pids}. */
    public String whyNotServing(Set<Long> pids) {
      List<String> strangers = strangers(pids);
      if (!strangers.isEmpty()) {
        return "group "
            + group
            + " still has members of an earlier run ("
            + String.join(", ", strangers)
            + "); the broker gives their partitions to the new workers when their sessions"
            + " expire";
      }
      long holding =
          members.entrySet().stream()
              .filter(member -> ownedBy(member.getKey(), pids))
              .mapToInt(member -> member.getValue().size())
              .sum();
      return "group "
          + group
          + ": the workers hold "
          + holding
          + " of "
          + partitions
          + " request partitions";
    }

    private static boolean ownedBy(String clientId, Set<Long> pids) {
      int dash = clientId.lastIndexOf('-');
      try {
        return dash >= 0 && pids.contains(Long.parseLong(clientId.substring(dash + 1)));
      } catch (NumberFormatException e) {
        return false;
      }
    }
  }

  private final Admin admin;
  private final String group;
  private final int partitions;

  public WorkerGroup(Admin admin, String group, int partitions) {
    this.admin = admin;
    this.group = group;
    this.partitions = partitions;
  }

  public String name() {
    return group;
  }

  /** The members and their partitions, by client id; none before a worker has joined. */
  public Snapshot read() throws InterruptedException, ExecutionException, TimeoutException {
    try {
      ConsumerGroupDescription description =
          admin.describeConsumerGroups(List.of(group)).all().get(5, TimeUnit.SECONDS).get(group);
      return new Snapshot(
          group,
          partitions,
          description.members().stream()
              .collect(
                  Collectors.toMap(
                      MemberDescription::clientId,
                      m -> m.assignment().topicPartitions(),
                      (a, b) ->
                          java.util.stream.Stream.concat(a.stream(), b.stream())
                              .collect(Collectors.toSet()))));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return new Snapshot(group, partitions, Map.of());
      }
      throw e;
    }
  }
}
