package dev.inferpipe.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferpipe.contracts.ErrorCode;
import dev.inferpipe.contracts.GoldenMessages;
import dev.inferpipe.contracts.InferenceResponse;
import dev.inferpipe.localrun.TestKafka;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The async API with real parts: two ingress instances, a real broker, a worker with the simulated
 * accelerator, and each instance's Kafka Streams results store over the responses topic. The second
 * instance keeps results only 4 s. The model {@code idle} has topics and scales from zero but has
 * no worker, so its requests stay pending until their deadline; {@code no-topics} scales from zero
 * too, but has no topics.
 */
class AsyncInferenceTest {
  private static final String MODEL = "async-sim";
  private static final String IDLE = "idle";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static LocalPipeline pipeline;
  private static LocalPipeline.Ingress first;
  private static LocalPipeline.Ingress shortLived;
  private static String answeredBeforeFirstStarted;

  @BeforeAll
  static void start() throws Exception {
    pipeline = new LocalPipeline(TestKafka.newTopics(2, 2, MODEL, IDLE));
    pipeline.startWorker(MODEL, "simulated");
    pipeline.announceWithoutWorker(IDLE, true);
    pipeline.announceWithoutWorker("no-topics", true);
    shortLived = pipeline.startIngress(1, MODEL, "--ingress.async.result-retention=4s");
    answeredBeforeFirstStarted =
        accepted(send(async(shortLived, MODEL, PipelineEndToEndTest.request("early", 2f))));
    assertThat(awaitResult(shortLived, answeredBeforeFirstStarted).statusCode()).isEqualTo(200);
    first = pipeline.startIngress(0, MODEL);
  }

  @AfterAll
  static void stop() {
    pipeline.close();
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return LocalPipeline.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder async(
      LocalPipeline.Ingress ingress, String model, byte[] body) {
    return HttpRequest.newBuilder(
            ingress.base().resolve("/v2/models/" + model + "/infer?async=true"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
  }

  /** Posts an async request, checks the 202, and returns the request id. */
  private static String accepted(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    JsonNode body = JSON.readTree(response.body());
    String id = body.get("id").asString();
    assertThat(body.get("status").asString()).isEqualTo("pending");
    assertThat(body.get("status_url").asString()).isEqualTo("/v2/requests/" + id);
    assertThat(response.headers().firstValue("Location")).hasValue("/v2/requests/" + id);
    return id;
  }

  /** Polls the instance that accepted {@code id} while it answers "pending". */
  private static HttpResponse<String> awaitResult(LocalPipeline.Ingress ingress, String id) {
    return await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> ingress.get("/v2/requests/" + id), r -> r.statusCode() != 202);
  }

  /**
   * Polls another instance until the worker's answer reaches its store: before that it knows the
   * request as pending (202), or, once its deadline passed, answers 504 on its own.
   */
  private static HttpResponse<String> awaitResultElsewhere(
      LocalPipeline.Ingress ingress, String id) {
    return await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> ingress.get("/v2/requests/" + id),
            r ->
                r.statusCode() != 404
                    && r.statusCode() != 202
                    && !r.body().contains("arrived within its deadline"));
  }

  @Test
  void anAsyncRequestIsAcceptedAndItsResultIsTheSyncAnswer() throws Exception {
    byte[] request = PipelineEndToEndTest.request("async-1", 7f);

    String id = accepted(send(async(first, MODEL, request)));
    HttpResponse<String> result = awaitResult(first, id);

    assertThat(result.statusCode()).as(result.body()).isEqualTo(200);
    assertThat(result.body()).isEqualTo(first.post(MODEL, request).body());
    InferenceResponse answer = PipelineEndToEndTest.decode(result);
    assertThat(answer.id()).isEqualTo("async-1");
    assertThat(answer.output("input").floats()).containsExactly(7f, 7.5f);
  }

  @Test
  void preferRespondAsyncWorksAndAnotherInstanceReadsTheResult() throws Exception {
    HttpResponse<String> response =
        send(first.infer(MODEL, GoldenMessages.fp32Request()).header("Prefer", "respond-async"));

    String id = accepted(response);
    assertThat(response.headers().firstValue("Preference-Applied")).hasValue("respond-async");
    HttpResponse<String> result = awaitResultElsewhere(shortLived, id);

    assertThat(result.statusCode()).as(result.body()).isEqualTo(200);
    assertThat(PipelineEndToEndTest.decode(result).id()).isEqualTo("golden-fp32-1");
  }

  @Test
  void anInstanceRebuildsTheResultsFromTheTopicWhenItStarts() throws Exception {
    HttpResponse<String> result = first.get("/v2/requests/" + answeredBeforeFirstStarted);

    assertThat(result.statusCode()).as(result.body()).isEqualTo(200);
    assertThat(PipelineEndToEndTest.decode(result).id()).isEqualTo("early");
  }

  @Test
  void aResultExpiresAfterTheRetention() throws Exception {
    String id = accepted(send(async(shortLived, MODEL, PipelineEndToEndTest.request("exp", 1f))));
    assertThat(awaitResult(shortLived, id).statusCode()).isEqualTo(200);

    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> shortLived.get("/v2/requests/" + id).statusCode() == 404);
    // the instance that keeps results for an hour still has it: retention is per instance
    assertThat(first.get("/v2/requests/" + id).statusCode()).isEqualTo(200);
  }

  /** Accepts an async request whose deadline passes at once, and returns its id. */
  private static String acceptedPastDeadline(String model, String bodyId) throws Exception {
    return accepted(
        send(
            async(first, model, PipelineEndToEndTest.request(bodyId, 1f))
                .header("Inference-Timeout-Ms", "1")));
  }

  @Test
  void theWorkersDeadlineErrorIsAnsweredLikeTheSyncPath() throws Exception {
    String id = acceptedPastDeadline(MODEL, "late");

    // read where only the results store can know it
    HttpResponse<String> result = awaitResultElsewhere(shortLived, id);

    assertThat(result.statusCode()).as(result.body()).isEqualTo(504);
    InferenceResponse error = PipelineEndToEndTest.decode(result);
    assertThat(error.errorCode()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
    assertThat(error.error()).contains("before the request was dequeued");
  }

  @Test
  void anUnansweredRequestIsPendingOnTheInstanceThatAcceptedIt() throws Exception {
    String id = accepted(send(async(first, IDLE, PipelineEndToEndTest.request("nobody", 1f))));

    HttpResponse<String> pending = first.get("/v2/requests/" + id);
    assertThat(pending.statusCode()).isEqualTo(202);
    assertThat(pending.body()).contains("\"status\":\"pending\"");
    assertThat(pending.headers().firstValue("Retry-After")).hasValue("1");
    // every instance knows it: the acceptance is on the responses topic that their stores read
    HttpResponse<String> elsewhere =
        await()
            .atMost(WAIT)
            .pollInterval(Duration.ofMillis(50))
            .until(() -> shortLived.get("/v2/requests/" + id), r -> r.statusCode() != 404);
    assertThat(elsewhere.statusCode()).as(elsewhere.body()).isEqualTo(202);
    assertThat(elsewhere.body()).contains("\"status\":\"pending\"");
  }

  @Test
  void anUnansweredRequestGets504OnceItsDeadlinePassed() throws Exception {
    String id = acceptedPastDeadline(IDLE, "too-late");

    HttpResponse<String> late = awaitResult(first, id);

    assertThat(late.statusCode()).as(late.body()).isEqualTo(504);
    assertThat(PipelineEndToEndTest.decode(late).error()).contains("arrived within its deadline");
    assertThat(shortLived.get("/v2/requests/" + id).statusCode()).isEqualTo(504);
  }

  @Test
  void anUnknownIdGets404InTheErrorShape() throws Exception {
    HttpResponse<String> response = first.get("/v2/requests/no-such-request");

    assertThat(response.statusCode()).isEqualTo(404);
    InferenceResponse error = PipelineEndToEndTest.decode(response);
    assertThat(error.errorCode()).isEqualTo(ErrorCode.REQUEST_NOT_FOUND);
    assertThat(error.error()).contains("'no-such-request'").contains("result-retention");
  }

  @Test
  void asyncRequestsAreValidatedLikeSyncOnes() throws Exception {
    HttpResponse<String> invalid =
        send(async(first, MODEL, GoldenMessages.invalid("shape-data-mismatch.json")));
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(PipelineEndToEndTest.decode(invalid).error()).startsWith("inputs[0].data");

    HttpResponse<String> badFlag =
        send(
            HttpRequest.newBuilder(
                    first.base().resolve("/v2/models/" + MODEL + "/infer?async=maybe"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(GoldenMessages.fp32Request())));
    assertThat(badFlag.statusCode()).isEqualTo(400);
    assertThat(badFlag.body()).contains("query parameter async: expected true or false");

    assertThat(send(async(first, "nope", GoldenMessages.fp32Request())).statusCode())
        .isEqualTo(404);
  }

  @Test
  void aModelWithoutResponsesTopicRefusesAsyncRequests() throws Exception {
    HttpResponse<String> response = send(async(first, "no-topics", GoldenMessages.fp32Request()));

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).contains("its responses topic does not exist");
  }

  @Test
  void readinessReportsTheResultsStore() throws Exception {
    assertThat(first.get("/v2/health/ready").body()).contains("\"async_results\":\"RUNNING");
  }
}
