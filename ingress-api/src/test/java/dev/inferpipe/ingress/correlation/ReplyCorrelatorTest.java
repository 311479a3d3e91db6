package dev.inferpipe.ingress.correlation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.inferpipe.contracts.RequestId;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ReplyCorrelatorTest {
  private static final Reply OK = new Reply(null, new byte[] {'{', '}'});

  @Test
  void completesTheWaitingRequestAndFreesItsSlot() throws Exception {
    ReplyCorrelator correlator = new ReplyCorrelator(1);
    RequestId id = RequestId.random();
    CompletableFuture<Reply> reply = correlator.register(id, Duration.ofSeconds(10));

    assertThat(correlator.complete(id, OK)).isTrue();

    assertThat(reply.get(1, TimeUnit.SECONDS)).isSameAs(OK);
    assertThat(correlator.inFlight()).isZero();
    assertThat(correlator.register(RequestId.random(), Duration.ofSeconds(10))).isNotNull();
  }

  @Test
  void anAsyncResultFreesItsRequestsSlotAndOthersAreNotCounted() throws Exception {
    ReplyCorrelator correlator = new ReplyCorrelator(1);
    RequestId id = RequestId.unguessable();
    CompletableFuture<Reply> reply = correlator.register(id, Duration.ofSeconds(10));

    correlator.completeIfWaiting(id, OK);
    correlator.completeIfWaiting(RequestId.unguessable(), OK); // accepted by another instance

    assertThat(reply.get(1, TimeUnit.SECONDS)).isSameAs(OK);
    assertThat(correlator.inFlight()).isZero();
    assertThat(correlator.unmatchedReplies()).isZero();
  }

  @Test
  void refusesBeyondTheLimit() {
    ReplyCorrelator correlator = new ReplyCorrelator(2);
    correlator.register(RequestId.random(), Duration.ofSeconds(10));
    correlator.register(RequestId.random(), Duration.ofSeconds(10));

    assertThat(correlator.register(RequestId.random(), Duration.ofSeconds(10))).isNull();
    assertThat(correlator.inFlight()).isEqualTo(2);
  }

  @Test
  void timesOutAtTheDeadlineAndCountsTheLateReply() {
    ReplyCorrelator correlator = new ReplyCorrelator(10);
    RequestId id = RequestId.random();
    CompletableFuture<Reply> reply = correlator.register(id, Duration.ofMillis(20));

    assertThatThrownBy(() -> reply.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(TimeoutException.class);
    await().atMost(Duration.ofSeconds(5)).until(() -> correlator.inFlight() == 0);
    assertThat(correlator.complete(id, OK)).isFalse();
    assertThat(correlator.unmatchedReplies()).isEqualTo(1);
  }

  @Test
  void aDuplicateReplyIsDroppedAndCounted() {
    ReplyCorrelator correlator = new ReplyCorrelator(10);
    RequestId id = RequestId.random();
    correlator.register(id, Duration.ofSeconds(10));

    correlator.complete(id, OK);

    assertThat(correlator.complete(id, OK)).isFalse();
    assertThat(correlator.unmatchedReplies()).isEqualTo(1);
  }

  @Test
  void aFailedSendFreesTheSlot() {
    ReplyCorrelator correlator = new ReplyCorrelator(1);
    RequestId id = RequestId.random();
    CompletableFuture<Reply> reply = correlator.register(id, Duration.ofSeconds(10));

    correlator.fail(id, new IllegalStateException("broker gone"));

    assertThat(reply).isCompletedExceptionally();
    assertThat(correlator.inFlight()).isZero();
  }
}
