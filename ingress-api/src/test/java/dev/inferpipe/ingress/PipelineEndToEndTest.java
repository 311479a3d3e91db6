package dev.inferpipe.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferpipe.contracts.ErrorCode;
import dev.inferpipe.contracts.GoldenMessages;
import dev.inferpipe.contracts.InferenceCodec;
import dev.inferpipe.contracts.InferenceResponse;
import dev.inferpipe.ingress.correlation.ReplyCorrelator;
import dev.inferpipe.localrun.TestKafka;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole path with real parts: HTTP into two ingress instances, a real broker, a worker with the
 * simulated accelerator, and the correlated replies back to each caller.
 */
class PipelineEndToEndTest {
  private static final String MODEL = "sim";
  private static final InferenceCodec CODEC = new InferenceCodec();
  private static LocalPipeline pipeline;
  private static LocalPipeline.Ingress first;
  private static LocalPipeline.Ingress second;

  @BeforeAll
  static void start() {
    pipeline = new LocalPipeline(TestKafka.newTopics(2, 2, MODEL));
    // adaptive batching here, fixed in the worker's own tests: both modes serve end to end
    pipeline.startWorker(
        MODEL,
        "simulated",
        "--worker.instances=2",
        "--worker.batch-size=32",
        "--worker.batching=adaptive");
    first = pipeline.startIngress(0, MODEL);
    second = pipeline.startIngress(1, MODEL);
  }

  @AfterAll
  static void stop() {
    pipeline.close();
  }

  static byte[] request(String id, float value) {
    return ("{\"id\":\""
            + id
            + "\",\"inputs\":[{\"name\":\"input\",\"shape\":[1,2],"
            + "\"datatype\":\"FP32\",\"data\":["
            + value
            + ", "
            + (value + 0.5f)
            + "]}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  static InferenceResponse decode(HttpResponse<String> response) {
    return CODEC.decodeResponse(response.body().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aRequestGetsItsCorrectReply() throws Exception {
    HttpResponse<String> response = first.post(MODEL, GoldenMessages.fp32Request());

    assertThat(response.statusCode()).isEqualTo(200);
    InferenceResponse answer = decode(response);
    assertThat(answer.id()).isEqualTo("golden-fp32-1");
    assertThat(answer.modelName()).isEqualTo(MODEL);
    assertThat(answer.output("input").floats())
        .containsExactly(1f, 2f, 3f, 4f, 0.5f, 0.25f, -1f, 0f);
    assertThat(answer.parameters()).containsEntry("simulated", true);
  }

  @Test
  void theInferPathTakesOnlyPost() throws Exception {
    HttpResponse<String> response =
        LocalPipeline.HTTP.send(
            HttpRequest.newBuilder(first.base().resolve("/v2/models/" + MODEL + "/infer")).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).hasValue("POST");
  }

  @Test
  void twoHundredConcurrentRequestsEachGetTheirOwnReply() throws Exception {
    assertEachGetsItsOwn(first, "c", 200);
  }

  @Test
  void twoInstancesEachReceiveOnlyTheirOwnReplies() throws Exception {
    long unmatchedBefore =
        first.bean(ReplyCorrelator.class).unmatchedReplies()
            + second.bean(ReplyCorrelator.class).unmatchedReplies();

    CompletableFuture<Void> a =
        CompletableFuture.runAsync(() -> assertEachGetsItsOwn(first, "a", 100));
    CompletableFuture<Void> b =
        CompletableFuture.runAsync(() -> assertEachGetsItsOwn(second, "b", 100));
    a.get(60, TimeUnit.SECONDS);
    b.get(60, TimeUnit.SECONDS);

    // a reply delivered to the wrong instance would find nobody waiting there and be counted
    assertThat(
            first.bean(ReplyCorrelator.class).unmatchedReplies()
                + second.bean(ReplyCorrelator.class).unmatchedReplies())
        .isEqualTo(unmatchedBefore);
  }

  private static void assertEachGetsItsOwn(
      LocalPipeline.Ingress ingress, String prefix, int count) {
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      calls.add(
          LocalPipeline.HTTP.sendAsync(
              ingress.infer(MODEL, request(prefix + i, i)).build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    for (int i = 0; i < count; i++) {
      HttpResponse<String> response = calls.get(i).orTimeout(60, TimeUnit.SECONDS).join();
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      InferenceResponse answer = decode(response);
      assertThat(answer.id()).isEqualTo(prefix + i);
      assertThat(answer.output("input").floats()).containsExactly(i, i + 0.5f);
    }
  }

  @Test
  void anInvalidBodyGets400NamingTheField() throws Exception {
    HttpResponse<String> response =
        first.post(MODEL, GoldenMessages.invalid("shape-data-mismatch.json"));

    assertThat(response.statusCode()).isEqualTo(400);
    InferenceResponse error = decode(response);
    assertThat(error.errorCode()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(error.error())
        .isEqualTo("inputs[0].data: expected 4 elements for shape [2, 2], was 3");
  }

  @Test
  void anUnknownModelGets404() throws Exception {
    HttpResponse<String> response = first.post("nope", GoldenMessages.fp32Request());

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(decode(response).error()).contains("unknown model 'nope'");
    assertThat(first.get("/v2/models/nope").statusCode()).isEqualTo(404);
  }

  @Test
  void aTooLargeBodyGets413() throws Exception {
    byte[] huge = new byte[9 * 1024 * 1024];
    java.util.Arrays.fill(huge, (byte) ' ');

    HttpResponse<String> response = first.post(MODEL, huge);

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(decode(response).errorCode()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
  }

  @Test
  void servesMetadataHealthConfigAndMetrics() throws Exception {
    assertThat(first.get("/v2/health/live").statusCode()).isEqualTo(200);
    assertThat(first.get("/healthz").statusCode()).isEqualTo(200);
    assertThat(first.get("/v2/models/" + MODEL).body()).contains("\"platform\":\"simulated\"");
    assertThat(first.get("/config").body()).contains("\"inFlightLimit\":1000");
    first.post(MODEL, GoldenMessages.fp32Request());
    assertThat(first.get("/metrics").body())
        .contains("inference_ingress_request_duration_seconds_count")
        .contains("inference_ingress_in_flight");
  }
}
