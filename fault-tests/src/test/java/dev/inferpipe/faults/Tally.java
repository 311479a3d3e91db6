package dev.inferpipe.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What happened to a set of {@link Call}s: how many were sent, how they were answered, how many
 * were lost (no answer) or answered twice or with another request's body.
 */
final class Tally {
  private final List<Call> calls;
  private final Set<String> admitted;

  /**
   * @param calls the calls to account for
   * @param admitted the ids of the requests that reached Kafka (see {@link
   *     FaultPipeline#admittedIds})
   */
  Tally(List<Call> calls, Set<String> admitted) {
    this.calls = List.copyOf(calls);
    this.admitted = admitted;
  }

  List<Call> calls() {
    return calls;
  }

  int sent() {
    return calls.size();
  }

  long answered() {
    return count(Call::answered);
  }

  /**
   * Requests the ingress took that got no answer: no answer by the deadline plus the margin, or
   * none at all although the request reached Kafka. The number that must be 0.
   */
  long lost() {
    return count(this::lost);
  }

  boolean lost(Call call) {
    return !call.answered() && (call.waitedOut() || admitted.contains(call.id));
  }

  /**
   * Requests that got no answer and never entered the pipeline: the connection was refused, or
   * closed by an ingress that was shutting down before it took the request.
   */
  long notAdmitted() {
    return count(c -> !c.answered() && !lost(c));
  }

  /**
   * Requests sent on a connection that the ingress closed without reading them (a keep-alive
   * connection closed under them): not admitted, but not refused either.
   */
  long closedUnread() {
    return count(c -> !c.answered() && !lost(c) && !c.outcome().equals("connection refused"));
  }

  long duplicates() {
    return count(Call::duplicate);
  }

  long count(Predicate<Call> which) {
    return calls.stream().filter(which).count();
  }

  /** Answers by outcome, e.g. {@code {200=412, 504 DEADLINE_EXCEEDED=3}}. */
  Map<String, Long> outcomes() {
    return calls.stream()
        .collect(Collectors.groupingBy(Call::outcome, TreeMap::new, Collectors.counting()));
  }

  /** The calls sent in [{@code fromMillis}, {@code toMillis}) of the load's time line. */
  Tally sentBetween(long fromMillis, long toMillis) {
    return where(c -> c.sentMillis >= fromMillis && c.sentMillis < toMillis);
  }

  Tally where(Predicate<Call> which) {
    return new Tally(calls.stream().filter(which).toList(), admitted);
  }

  /** The {@code p}-th percentile latency in ms (p in 0..100), or -1 for no calls. */
  long percentileMillis(double p) {
    long[] sorted = calls.stream().mapToLong(Call::latencyMillis).sorted().toArray();
    if (sorted.length == 0) {
      return -1;
    }
    int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  /** The ids and outcomes of the first few calls that match, for failure messages. */
  String examples(Predicate<Call> which) {
    return calls.stream()
        .filter(which)
        .limit(10)
        .map(c -> c.id + " sent at " + c.sentMillis + " ms: " + c.outcome())
        .collect(Collectors.joining("; "));
  }

  /** Prints a scenario's row and adds it to {@code result.txt} in the scenario's folder. */
  static void report(FaultPipeline pipeline, String row) throws IOException {
    System.out.println(row);
    Files.writeString(
        pipeline.dir().resolve("result.txt"),
        row + System.lineSeparator(),
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  /**
   * The promise every scenario keeps: each request got exactly one answer, its own, and every
   * answer is one of {@code outcomes}; nothing was lost, and (unless a service was expected to be
   * away) every request was admitted.
   */
  void assertEachAnsweredOnce(boolean allNotAdmitted, String... outcomes) {
    assertThat(lost()).as("lost: %s", examples(this::lost)).isZero();
    assertThat(duplicates()).as("duplicates: %s", examples(Call::duplicate)).isZero();
    if (!allNotAdmitted) {
      assertThat(notAdmitted()).as("not admitted: %s", examples(c -> !c.answered())).isZero();
    }
    assertThat(where(Call::answered).outcomes().keySet())
        .as("the kinds of answer")
        .isSubsetOf(outcomes);
  }

  /**
   * When the first request sent at or after {@code millis} that got its result was sent; -1: none.
   */
  long firstServedAfter(long millis) {
    return calls.stream()
        .filter(c -> c.sentMillis >= millis && c.status() == 200)
        .mapToLong(c -> c.sentMillis)
        .min()
        .orElse(-1);
  }

  /** Every one of these requests got its result (200); {@code what} says which they are. */
  void assertAllServed(String what) {
    assertThat(count(c -> c.status() == 200)).as(what + ": %s", outcomes()).isEqualTo(sent());
  }

  /** Writes every call (id, sent at, outcome, latency) as CSV, for reading a failure. */
  void writeCsv(Path file) throws IOException {
    List<String> lines = new java.util.ArrayList<>();
    lines.add("id,sent_ms,outcome,latency_ms,duplicate");
    calls.forEach(
        c ->
            lines.add(
                String.join(
                    ",",
                    c.id,
                    Long.toString(c.sentMillis),
                    c.outcome().replace(',', ';'),
                    Long.toString(c.latencyMillis()),
                    Boolean.toString(c.duplicate()))));
    Files.write(file, lines);
  }

  /** The one-line table row of a scenario. */
  String row(String scenario, long droppedLateReplies, String timings) {
    return String.format(
        "FAULT %-15s | sent %5d | answered %5d %s | not admitted %d (of which closed unread %d) |"
            + " lost %d | duplicates %d | late replies dropped by the ingress %d | %s",
        scenario,
        sent(),
        answered(),
        outcomes(),
        notAdmitted(),
        closedUnread(),
        lost(),
        duplicates(),
        droppedLateReplies,
        timings);
  }
}
