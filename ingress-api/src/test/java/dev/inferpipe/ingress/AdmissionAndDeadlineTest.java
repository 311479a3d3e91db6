package dev.inferpipe.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferpipe.contracts.ErrorCode;
import dev.inferpipe.contracts.GoldenMessages;
import dev.inferpipe.contracts.InferenceCodec;
import dev.inferpipe.ingress.correlation.ReplyCorrelator;
import dev.inferpipe.localrun.TestKafka;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Deadlines, the in-flight limit and an unreachable broker, against a deliberately slow model. */
class AdmissionAndDeadlineTest {
  private static final String MODEL = "slow";
  private static final InferenceCodec CODEC = new InferenceCodec();
  private static LocalPipeline pipeline;
  private static LocalPipeline.Ingress ingress;

  @BeforeAll
  static void start() {
    pipeline = new LocalPipeline(TestKafka.newTopics(1, 1, MODEL));
    pipeline.startWorker(
        MODEL, "simulated", "--worker.model.simulated-base-ms=400", "--worker.batch-size=1");
    ingress = pipeline.startIngress(0, MODEL, "--ingress.in-flight-limit=2");
  }

  @AfterAll
  static void stop() {
    pipeline.close();
  }

  private static ErrorCode code(HttpResponse<String> response) {
    return CODEC.decodeResponse(response.body().getBytes(StandardCharsets.UTF_8)).errorCode();
  }

  @Test
  void aDeadlineThatPassesGives504() throws Exception {
    HttpResponse<String> response =
        LocalPipeline.HTTP.send(
            ingress
                .infer(MODEL, GoldenMessages.fp32Request())
                .header("Inference-Timeout-Ms", "100")
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(504);
    assertThat(code(response)).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
  }

  @Test
  void theInFlightLimitGives429WithRetryAfter() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      calls.add(
          LocalPipeline.HTTP.sendAsync(
              ingress.infer(MODEL, GoldenMessages.fp32Request()).build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    List<HttpResponse<String>> responses = new ArrayList<>();
    for (var call : calls) {
      responses.add(call.get(60, TimeUnit.SECONDS));
    }

    List<HttpResponse<String>> refused =
        responses.stream().filter(r -> r.statusCode() == 429).toList();
    assertThat(refused).isNotEmpty();
    assertThat(refused.get(0).headers().firstValue("Retry-After")).hasValue("1");
    assertThat(code(refused.get(0))).isEqualTo(ErrorCode.TOO_MANY_REQUESTS);
    assertThat(responses).anyMatch(r -> r.statusCode() == 200);
  }

  @Test
  void aRequestInFlightWhenTheIngressStopsGetsItsResult() throws Exception {
    LocalPipeline.Ingress stopping =
        pipeline.startIngress(TestKafka.bootstrapServers(), 0, MODEL, true);
    CompletableFuture<HttpResponse<String>> call =
        LocalPipeline.HTTP.sendAsync(
            stopping
                .infer(MODEL, GoldenMessages.fp32Request())
                .header("Inference-Timeout-Ms", "5000")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> stopping.bean(ReplyCorrelator.class).inFlight() == 1);

    stopping.context().close(); // graceful: the web server drains before the reply listener stops

    assertThat(call.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  @Test
  void anUnreachableBrokerGives503() throws Exception {
    LocalPipeline.Ingress orphan = pipeline.startIngress("127.0.0.1:1", 0, MODEL, false);

    HttpResponse<String> response = orphan.post(MODEL, GoldenMessages.fp32Request());

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(code(response)).isEqualTo(ErrorCode.BROKER_UNAVAILABLE);
    assertThat(orphan.get("/v2/health/ready").statusCode()).isEqualTo(503);
    assertThat(orphan.get("/v2/health/live").statusCode()).isEqualTo(200);
  }
}
