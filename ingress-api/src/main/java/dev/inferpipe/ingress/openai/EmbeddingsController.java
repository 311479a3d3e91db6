package dev.inferpipe.ingress.openai;

import dev.inferpipe.contracts.ContractViolation;
import dev.inferpipe.contracts.ErrorCode;
import dev.inferpipe.contracts.InferTensor;
import dev.inferpipe.contracts.InferenceCodec;
import dev.inferpipe.contracts.InferenceResponse;
import dev.inferpipe.ingress.IngressMetrics;
import dev.inferpipe.ingress.IngressProperties;
import dev.inferpipe.ingress.correlation.Reply;
import dev.inferpipe.ingress.web.ErrorResponses;
import dev.inferpipe.ingress.web.InferenceFilter;
import dev.inferpipe.ingress.web.InferenceGateway;
import dev.inferpipe.ingress.web.IngressException;
import dev.inferpipe.ingress.web.RequestBodies;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /v1/embeddings} in the OpenAI shape, so that OpenAI clients work against the ingress:
 * the texts become one Open Inference Protocol request ({@code text} → {@code embedding}), and the
 * reply comes back as {@code data[i].embedding} with {@code usage}. Served through the {@link
 * InferenceFilter}; errors keep OpenAI's shape ({@link ErrorResponses.Shape#OPENAI}).
 */
@Component
class EmbeddingsController implements InferenceFilter.Api {
  private static final String PATH = "/v1/embeddings";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final InferenceGateway gateway;
  private final IngressProperties properties;
  private final IngressMetrics metrics;
  private final InferenceCodec codec;
  private final ErrorResponses errors;

  EmbeddingsController(
      InferenceGateway gateway,
      IngressProperties properties,
      IngressMetrics metrics,
      InferenceCodec codec,
      ErrorResponses errors) {
    this.gateway = gateway;
    this.properties = properties;
    this.metrics = metrics;
    this.codec = codec;
    this.errors = errors;
  }

  @Override
  public boolean serves(String path) {
    return path.equals(PATH);
  }

  @Override
  public long maxWaitMillis() {
    return properties.maxTimeout().toMillis();
  }

  @Override
  public CompletableFuture<ResponseEntity<byte[]>> handle(HttpServletRequest http)
      throws IOException {
    long start = System.nanoTime();
    String timeout = http.getHeader(InferenceGateway.TIMEOUT_HEADER);
    String traceparent = http.getHeader("traceparent");
    byte[] raw = RequestBodies.read(http, properties.maxBodyBytes());
    EmbeddingsRequest request;
    try {
      request = EmbeddingsRequest.parse(raw, properties.embeddings());
    } catch (ContractViolation e) {
      throw new IngressException(ErrorCode.INVALID_REQUEST, e.getMessage());
    }
    http.setAttribute(IngressMetrics.MODEL_ATTRIBUTE, request.model());
    requireEmbeddingModel(request.model());
    InferenceGateway.Submission submission =
        gateway.submit(
            request.model(), timeout, traceparent, () -> codec.encode(request.toInference()));
    return submission
        .reply()
        .handle(
            (reply, failure) -> {
              ResponseEntity<byte[]> response;
              if (reply != null) {
                response = answer(request, reply);
              } else {
                IngressException error = InferenceGateway.failure(submission, failure);
                response = error(error.code(), error.getMessage());
              }
              metrics.answered(
                  request.model(), response.getStatusCode().value(), System.nanoTime() - start);
              return response;
            });
  }

  private void requireEmbeddingModel(String model) {
    boolean embeds =
        gateway.requireModel(model).metadata().outputs().stream()
            .anyMatch(o -> o.name().equals("embedding"));
    if (!embeds) {
      throw new IngressException(
          ErrorCode.INVALID_REQUEST, "model '" + model + "' has no 'embedding' output");
    }
  }

  private ResponseEntity<byte[]> answer(EmbeddingsRequest request, Reply reply) {
    InferenceResponse response = codec.decodeResponse(reply.body());
    if (response.isError()) {
      return error(response.errorCode(), response.error());
    }
    InferTensor embedding = response.output("embedding");
    InferTensor tokens = response.output("token_count");
    int dimensions = (int) embedding.shape()[1];
    float[] values = embedding.floats();
    List<Map<String, Object>> data = new java.util.ArrayList<>();
    for (int i = 0; i < request.inputs().size(); i++) {
      float[] row = java.util.Arrays.copyOfRange(values, i * dimensions, (i + 1) * dimensions);
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("object", "embedding");
      item.put("index", i);
      item.put("embedding", request.base64() ? base64(row) : row);
      data.add(item);
    }
    long promptTokens = 0;
    if (tokens != null) {
      for (long count : (long[]) tokens.data()) {
        promptTokens += count;
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("object", "list");
    body.put("data", data);
    body.put("model", request.model());
    body.put("usage", Map.of("prompt_tokens", promptTokens, "total_tokens", promptTokens));
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_JSON)
        .body(JSON.writeValueAsBytes(body));
  }

  private static String base64(float[] row) {
    ByteBuffer bytes = ByteBuffer.allocate(row.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(row);
    return Base64.getEncoder().encodeToString(bytes.array());
  }

  private ResponseEntity<byte[]> error(ErrorCode code, String message) {
    return errors.error(ErrorResponses.Shape.OPENAI, null, null, code, message);
  }
}
