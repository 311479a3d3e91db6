package dev.inferpipe.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferpipe.contracts.GoldenMessages;
import dev.inferpipe.localrun.TestKafka;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Optional API keys: 401 without or with a wrong key, 403 outside the key's models; the same for
 * reading async results. The OpenAI-style API refuses in OpenAI's error shape.
 */
class ApiKeyTest {
  private static final String MODEL = "guarded";
  private static final String KEY = "k-0123456789abcdef-all";
  private static final String NARROW = "k-0123456789abcdef-other";
  private static LocalPipeline pipeline;
  private static LocalPipeline.Ingress ingress;

  @BeforeAll
  static void start() {
    pipeline = new LocalPipeline(TestKafka.newTopics(1, 1, MODEL));
    pipeline.startWorker(MODEL, "simulated");
    ingress =
        pipeline.startIngress(
            0,
            MODEL,
            "--ingress.api-keys[0].key=" + KEY,
            "--ingress.api-keys[1].key=" + NARROW,
            "--ingress.api-keys[1].models=some-other-model");
  }

  @AfterAll
  static void stop() {
    pipeline.close();
  }

  private static HttpResponse<String> call(String header, String value) throws Exception {
    HttpRequest.Builder request = ingress.infer(MODEL, GoldenMessages.fp32Request());
    if (header != null) {
      request.header(header, value);
    }
    return LocalPipeline.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void noKeyGets401() throws Exception {
    HttpResponse<String> response = call(null, null);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    assertThat(response.body()).contains("UNAUTHENTICATED").contains("needs an API key");
  }

  @Test
  void theOpenAiApiRefusesInItsOwnShape() throws Exception {
    HttpResponse<String> response =
        LocalPipeline.HTTP.send(
            HttpRequest.newBuilder(ingress.base().resolve("/v1/embeddings"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"" + MODEL + "\",\"input\":\"x\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    assertThat(response.body())
        .startsWith("{\"error\":{\"message\":\"this ingress needs an API key")
        .contains("\"code\":\"UNAUTHENTICATED\"");
  }

  @Test
  void aWrongKeyGets401() throws Exception {
    assertThat(call("Authorization", "Bearer not-a-key").statusCode()).isEqualTo(401);
  }

  @Test
  void aKeyForOtherModelsGets403() throws Exception {
    HttpResponse<String> response = call("X-API-Key", NARROW);

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("FORBIDDEN").contains("may not call model 'guarded'");
  }

  @Test
  void aGoodKeyIsServedEitherWay() throws Exception {
    assertThat(call("Authorization", "Bearer " + KEY).statusCode()).isEqualTo(200);
    assertThat(call("X-API-Key", KEY).statusCode()).isEqualTo(200);
  }

  @Test
  void asyncResultsNeedAKeyForTheirModel() throws Exception {
    HttpRequest.Builder post =
        HttpRequest.newBuilder(ingress.base().resolve("/v2/models/" + MODEL + "/infer?async=true"))
            .header("X-API-Key", KEY)
            .POST(HttpRequest.BodyPublishers.ofByteArray(GoldenMessages.fp32Request()));
    HttpResponse<String> accepted =
        LocalPipeline.HTTP.send(post.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(accepted.statusCode()).isEqualTo(202);
    String location = accepted.headers().firstValue("Location").orElseThrow();

    assertThat(ingress.get(location).statusCode()).isEqualTo(401);
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(20))
        .until(() -> getWithKey(location, KEY).statusCode() == 200);
    HttpResponse<String> narrow = getWithKey(location, NARROW);
    assertThat(narrow.statusCode()).isEqualTo(403);
    assertThat(narrow.body()).contains("may not read results of model 'guarded'");
  }

  private static HttpResponse<String> getWithKey(String path, String key) throws Exception {
    return LocalPipeline.HTTP.send(
        HttpRequest.newBuilder(ingress.base().resolve(path)).header("X-API-Key", key).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void probesStayOpenAndNoKeyShowsInConfig() throws Exception {
    assertThat(ingress.get("/v2/health/ready").statusCode()).isEqualTo(200);
    assertThat(ingress.get("/metrics").statusCode()).isEqualTo(200);
    String config = ingress.get("/config").body();
    assertThat(config).contains("some-other-model").doesNotContain(KEY).doesNotContain(NARROW);
  }
}
