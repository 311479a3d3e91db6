package dev.inferpipe.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferpipe.contracts.ErrorCode;
import dev.inferpipe.contracts.GoldenMessages;
import dev.inferpipe.localrun.TestKafka;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ingress knows the models only from their workers' announcements: a real broker, two workers
 * serving different models (one started after the ingress), and an ingress whose settings name no
 * model. When one worker stops, its model stays known but unavailable.
 */
class AnnouncedModelsTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static LocalPipeline pipeline;
  private static LocalPipeline.Ingress ingress;
  private static ConfigurableApplicationContext betaWorker;

  @BeforeAll
  static void start() {
    pipeline = new LocalPipeline(TestKafka.newTopics(1, 1, "alpha", "beta"));
    pipeline.startWorker("alpha", "simulated", "--worker.instance-id=alpha-1");
    ingress = pipeline.startIngress(0, "alpha");
    // adding a model means starting a worker for it, even with the ingress already running
    betaWorker =
        pipeline.startWorker(
            "beta", "simulated", "--worker.instance-id=beta-1", "--worker.batch-size=7");
    await().atMost(WAIT).until(() -> ingress.get("/v2/models/beta/ready").statusCode() == 200);
  }

  @AfterAll
  static void stop() {
    pipeline.close();
  }

  private static JsonNode json(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }

  @Test
  void metadataComesFromTheWorkersAnnouncement() throws Exception {
    HttpResponse<String> alpha = ingress.get("/v2/models/alpha");
    HttpResponse<String> beta = ingress.get("/v2/models/beta");

    assertThat(alpha.statusCode()).isEqualTo(200);
    JsonNode metadata = json(alpha);
    assertThat(metadata.path("name").asString()).isEqualTo("alpha");
    assertThat(metadata.path("platform").asString()).isEqualTo("simulated");
    assertThat(metadata.path("max_batch_size").asInt()).isEqualTo(64);
    assertThat(metadata.path("instances").toString()).isEqualTo("[\"alpha-1\"]");
    assertThat(metadata.path("inputs").isArray()).isTrue(); // the simulated model takes any inputs
    assertThat(metadata.path("versions").toString()).isEqualTo("[\"1\"]");
    assertThat(json(beta).path("max_batch_size").asInt()).isEqualTo(7);
    assertThat(ingress.post("alpha", GoldenMessages.fp32Request()).statusCode()).isEqualTo(200);
  }

  @Test
  void anUnknownModelIs404Everywhere() throws Exception {
    HttpResponse<String> metadata = ingress.get("/v2/models/nope");
    HttpResponse<String> infer = ingress.post("nope", GoldenMessages.fp32Request());

    assertThat(metadata.statusCode()).isEqualTo(404);
    assertThat(ingress.get("/v2/models/nope/ready").statusCode()).isEqualTo(404);
    assertThat(infer.statusCode()).isEqualTo(404);
    assertThat(PipelineEndToEndTest.decode(infer).errorCode()).isEqualTo(ErrorCode.MODEL_NOT_FOUND);
    assertThat(PipelineEndToEndTest.decode(infer).error()).contains("[alpha, beta]");
  }

  @Test
  void aModelWhoseWorkersAreGoneIsKnownButNotReadyAndItsRequestsFailAtOnce() throws Exception {
    assertThat(ingress.post("beta", GoldenMessages.fp32Request()).statusCode()).isEqualTo(200);

    betaWorker.close();

    HttpResponse<String> ready =
        await()
            .atMost(WAIT)
            .until(() -> ingress.get("/v2/models/beta/ready"), r -> r.statusCode() == 503);
    assertThat(json(ready).path("ready").asBoolean(true)).isFalse();
    assertThat(json(ingress.get("/v2/models/beta")).path("instances").isEmpty()).isTrue();

    long start = System.nanoTime();
    HttpResponse<String> infer =
        LocalPipeline.HTTP.send(
            ingress
                .infer("beta", GoldenMessages.fp32Request())
                .header("Inference-Timeout-Ms", "20000")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(infer.statusCode()).isEqualTo(503);
    assertThat(infer.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(PipelineEndToEndTest.decode(infer).errorCode())
        .isEqualTo(ErrorCode.MODEL_UNAVAILABLE);
    System.out.printf(
        "[AnnouncedModelsTest] 503 for a model without workers in %d ms (deadline 20000 ms)%n",
        tookMs);

    HttpResponse<String> embeddings =
        LocalPipeline.HTTP.send(
            HttpRequest.newBuilder(ingress.base().resolve("/v1/embeddings"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"beta\",\"input\":\"hi\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(embeddings.statusCode()).isEqualTo(503);
    assertThat(json(embeddings).path("error").path("code").asString())
        .isEqualTo(ErrorCode.MODEL_UNAVAILABLE.name());

    assertThat(ingress.get("/v2/models/alpha/ready").statusCode()).isEqualTo(200);
    assertThat(ingress.post("alpha", GoldenMessages.fp32Request()).statusCode()).isEqualTo(200);
  }
}
