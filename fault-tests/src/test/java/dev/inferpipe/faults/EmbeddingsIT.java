package dev.inferpipe.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferpipe.contracts.InferTensor;
import dev.inferpipe.contracts.InferenceCodec;
import dev.inferpipe.contracts.InferenceRequest;
import dev.inferpipe.contracts.InferenceResponse;
import dev.inferpipe.localrun.FreePorts;
import dev.inferpipe.localrun.LocalModel;
import dev.inferpipe.localrun.LocalPipeline;
import dev.inferpipe.localrun.PipelineSettings;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real default model, all-MiniLM-L6-v2 on libtorch, through HTTP and Kafka: the pipeline as
 * {@code ./pipeline up} starts it (broker, worker and ingress processes), on free ports with its
 * state under target/.
 */
class EmbeddingsIT {
  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
  private static final String MODEL = "all-minilm-l6-v2";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static LocalPipeline pipeline;
  private static URI ingress;

  @BeforeAll
  static void start() throws Exception {
    PipelineSettings settings =
        PipelineSettings.builder(ROOT, LocalModel.named(MODEL))
            .state(FaultSettings.scenarioDir("embeddings"))
            .ports(FreePorts.next(), FreePorts.next(), FreePorts.next(), FreePorts.next())
            // the worker tests' converted weights, made once per checkout
            .settings(
                List.of(
                    "--worker.model.cache-dir="
                        + ROOT.resolve("inference-worker/target/minilm-cache")),
                List.of())
            .build();
    pipeline = LocalPipeline.start(settings, false, new PrintStream(System.out, true));
    ingress = pipeline.ingressUri();
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  private static HttpResponse<String> embeddings(String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(ingress.resolve("/v1/embeddings"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theInferenceProtocolReturnsNormalizedEmbeddings() throws Exception {
    InferenceCodec codec = new InferenceCodec();
    byte[] body =
        codec.encode(
            InferenceRequest.of(
                "e1", InferTensor.ofStrings("text", new String[] {"Hello world", "Kafka"})));

    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(ingress.resolve("/v2/models/" + MODEL + "/infer"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    InferenceResponse answer =
        codec.decodeResponse(response.body().getBytes(StandardCharsets.UTF_8));
    assertThat(answer.id()).isEqualTo("e1");
    assertThat(answer.output("embedding").shape()).containsExactly(2, 384);
    float[] first = java.util.Arrays.copyOf(answer.output("embedding").floats(), 384);
    double norm = 0;
    for (float x : first) {
      norm += x * x;
    }
    assertThat(Math.sqrt(norm)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    assertThat((long[]) answer.output("token_count").data())
        .containsExactly(4, 5); // [CLS] hello world [SEP]; [CLS] ka ##fka [SEP]
  }

  @Test
  void openAiClientsGetTheirShape() throws Exception {
    HttpResponse<String> response =
        embeddings("{\"model\":\"" + MODEL + "\",\"input\":[\"a cat\",\"a dog\"]}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("object").asString()).isEqualTo("list");
    assertThat(body.get("data")).hasSize(2);
    assertThat(body.get("data").get(1).get("index").asInt()).isEqualTo(1);
    assertThat(body.get("data").get(0).get("embedding")).hasSize(384);
    assertThat(body.get("usage").get("prompt_tokens").asInt()).isEqualTo(8);
    assertThat(body.get("model").asString()).isEqualTo(MODEL);
  }

  @Test
  void base64EncodingCarriesTheSameFloats() throws Exception {
    JsonNode floats =
        JSON.readTree(embeddings("{\"model\":\"" + MODEL + "\",\"input\":\"same text\"}").body());
    JsonNode packed =
        JSON.readTree(
            embeddings(
                    "{\"model\":\""
                        + MODEL
                        + "\",\"input\":\"same text\",\"encoding_format\":\"base64\"}")
                .body());

    ByteBuffer bytes =
        ByteBuffer.wrap(
                Base64.getDecoder().decode(packed.get("data").get(0).get("embedding").asString()))
            .order(ByteOrder.LITTLE_ENDIAN);
    assertThat(bytes.remaining()).isEqualTo(384 * 4);
    assertThat(bytes.getFloat(0))
        .isEqualTo(floats.get("data").get(0).get("embedding").get(0).floatValue());
  }

  @Test
  void badInputGets400SayingWhatIsWrong() throws Exception {
    assertError(
        embeddings("{\"model\":\"" + MODEL + "\",\"input\":[\"ok\",\"\"]}"),
        400,
        "input[1]: must not be empty");
    assertError(
        embeddings("{\"model\":\"" + MODEL + "\",\"input\":[\"ok\",5]}"),
        400,
        "input[1]: expected a string, was number");
    String many = "\"x\",".repeat(257);
    assertError(
        embeddings(
            "{\"model\":\""
                + MODEL
                + "\",\"input\":["
                + many.substring(0, many.length() - 1)
                + "]}"),
        400,
        "input: expected at most 256 items, was 257");
    assertError(
        embeddings("{\"model\":\"" + MODEL + "\",\"input\":\"" + "y".repeat(20_001) + "\"}"),
        400,
        "input: has 20001 characters; the limit is 20000");
    assertError(
        embeddings("{\"input\":\"x\"}"), 400, "model: expected the model's name as a string");
    assertError(embeddings("{\"model\":\"nope\",\"input\":\"x\"}"), 404, "unknown model 'nope'");
  }

  private static void assertError(HttpResponse<String> response, int status, String message) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(JSON.readTree(response.body()).get("error").get("message").asString())
        .startsWith(message);
  }
}
