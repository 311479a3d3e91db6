package dev.inferpipe.faults;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One request of a fault test, followed individually: its own body id, when it was sent, and every
 * answer it got. A request that got no answer by its deadline plus a margin is lost; a second
 * answer, or an answer that carries another request's id, is a duplicate.
 */
final class Call {
  /** The status of a request that got no HTTP answer at all. */
  static final int NO_ANSWER = 0;

  final String id;
  final String target;
  final long sentMillis;
  final CompletableFuture<Call> done = new CompletableFuture<>();
  private final AtomicInteger answers = new AtomicInteger();
  private volatile int status = NO_ANSWER;
  private volatile String outcome = "no answer";
  private volatile long latencyMillis;
  private volatile boolean foreignBody;
  private volatile boolean retryAfter;

  Call(String id, String target, long sentMillis) {
    this.id = id;
    this.target = target;
    this.sentMillis = sentMillis;
  }

  /**
   * Records an HTTP answer. {@code foreign}: its body carries another request's id or inputs.
   * {@code outcome} is the status and error code, e.g. {@code "504 DEADLINE_EXCEEDED"}.
   */
  void answered(
      int status, String outcome, boolean foreign, boolean retryAfter, long latencyMillis) {
    if (answers.incrementAndGet() == 1) {
      this.status = status;
      this.outcome = outcome;
      this.retryAfter = retryAfter;
      this.latencyMillis = latencyMillis;
    }
    this.foreignBody |= foreign;
    done.complete(this);
  }

  /** The request ended without an HTTP answer: a refused connection, a reset, a client timeout. */
  void failed(String why, long latencyMillis) {
    if (answers.get() == 0) {
      this.outcome = why;
      this.latencyMillis = latencyMillis;
    }
    done.complete(this);
  }

  int status() {
    return status;
  }

  /** {@code "200"}, {@code "429 TOO_MANY_REQUESTS"}, or why there was no answer. */
  String outcome() {
    return outcome;
  }

  boolean answered() {
    return answers.get() > 0;
  }

  /** A second answer, or a body that belongs to another request. */
  boolean duplicate() {
    return answers.get() > 1 || foreignBody;
  }

  /** No answer came by the deadline plus the margin: the client stopped waiting. */
  boolean waitedOut() {
    return !answered() && outcome.equals(LoadDriver.WAITED_OUT);
  }

  boolean retryAfter() {
    return retryAfter;
  }

  long latencyMillis() {
    return latencyMillis;
  }
}
