package dev.inferpipe.worker.model.minilm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import dev.inferpipe.contracts.InferTensor;
import dev.inferpipe.contracts.InferenceRequest;
import dev.inferpipe.worker.model.InvalidInputException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The imported MiniLM against ONNX Runtime running the very ONNX file the weights came from, and a
 * semantic sanity check. Runs offline ({@code ai.djl.offline=true} in the build).
 */
class MiniLmModelTest {
  static final List<String> SENTENCES =
      List.of(
          "A man is playing a guitar.",
          "hi",
          "The quick brown fox jumps over the lazy dog, then naps in the afternoon sun.",
          "Kafka partitions bound the number of consumers in a group.",
          "Ünïcödé, emojis 🚀 and accents: café, naïve, Zürich.",
          "1234567890 3.14159 -42 1e10",
          "What is the capital of France?",
          "   leading and trailing spaces   ",
          "Une phrase en français pour voir ce qui se passe.",
          "word ".repeat(400).trim());

  @TempDir static Path cache;
  private static MiniLmModel model;

  @BeforeAll
  static void load() throws Exception {
    model = new MiniLmModel("all-minilm-l6-v2", cache, EmbeddingLimits.DEFAULT, 4);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void matchesOnnxRuntimeOnTheSameWeights() throws Exception {
    // buckets of 4 over 10 sentences: padded passes exercise the attention mask, and the
    // sorted order must come back as given
    float[] ours = model.embed(SENTENCES);
    float[][] reference = onnxRuntimeEmbeddings(SENTENCES);

    double lowest = 1;
    for (int i = 0; i < SENTENCES.size(); i++) {
      float[] row = java.util.Arrays.copyOfRange(ours, i * 384, (i + 1) * 384);
      lowest = Math.min(lowest, cosine(row, reference[i]));
      assertThat(cosine(row, reference[i])).as(SENTENCES.get(i)).isGreaterThanOrEqualTo(0.9999);
      assertThat(norm(row)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    }
    System.out.printf(
        "[MiniLM vs ONNX Runtime] lowest cosine over %d sentences: %.7f%n",
        SENTENCES.size(), lowest);
  }

  @Test
  void aParaphraseScoresClearlyHigherThanAnUnrelatedSentence() {
    float[] e =
        model.embed(
            List.of(
                "A man is playing a guitar.",
                "Someone strums an acoustic guitar.",
                "The stock market fell sharply today."));
    double paraphrase = cosine(row(e, 0), row(e, 1));
    double unrelated = cosine(row(e, 0), row(e, 2));

    assertThat(paraphrase).isGreaterThan(unrelated + 0.3);
  }

  @Test
  void answersEachRequestOfABatchWithItsOwnRows() throws Exception {
    var outputs =
        model.infer(
            List.of(
                InferenceRequest.of(
                    "a", InferTensor.ofStrings("text", new String[] {"one", "two"})),
                InferenceRequest.of("b", InferTensor.ofStrings("text", new String[] {"three"}))));

    assertThat(outputs.get(0).get(0).shape()).containsExactly(2, 384);
    assertThat(outputs.get(1).get(0).shape()).containsExactly(1, 384);
    assertThat(
            cosine(row(outputs.get(1).get(0).floats(), 0), row(model.embed(List.of("three")), 0)))
        .isGreaterThan(0.9999);
  }

  @Test
  void refusesEmptyTooManyAndTooLongTexts() {
    assertThatThrownBy(() -> model.validate(text("")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("input 'text' item 0 is empty");
    assertThatThrownBy(() -> model.validate(text(new String[257])))
        .hasMessage("input 'text' holds 257 texts; the limit is 256");
    assertThatThrownBy(() -> model.validate(text("x".repeat(20_001))))
        .hasMessage("input 'text' item 0 has 20001 characters; the limit is 20000");
    assertThatThrownBy(
            () ->
                model.validate(
                    InferenceRequest.of(
                        "f", InferTensor.ofFloats("text", new long[] {1}, new float[1]))))
        .hasMessage("input 'text' must be BYTES, was FP32");
  }

  @Test
  void aCorruptCacheIsDetectedAndRebuilt(@TempDir Path own) throws Exception {
    new MiniLmModel("m", own, EmbeddingLimits.DEFAULT, 0).close();
    Path weights;
    try (var files = Files.list(own)) {
      weights = files.filter(p -> p.toString().endsWith(".ndlist")).findFirst().orElseThrow();
    }
    Files.write(weights, new byte[] {1, 2, 3}); // a partial write

    try (MiniLmModel rebuilt = new MiniLmModel("m", own, EmbeddingLimits.DEFAULT, 0)) {
      assertThat(cosine(row(rebuilt.embed(List.of("hi")), 0), row(model.embed(List.of("hi")), 0)))
          .isGreaterThan(0.9999);
    }
    assertThat(Files.size(weights)).isGreaterThan(80_000_000L);
  }

  private static InferenceRequest text(String... texts) {
    for (int i = 0; i < texts.length; i++) {
      texts[i] = texts[i] == null ? "t" : texts[i];
    }
    return InferenceRequest.of("t", InferTensor.ofStrings("text", texts));
  }

  /** Each sentence alone (no padding) through ONNX Runtime, then the same pooling. */
  private static float[][] onnxRuntimeEmbeddings(List<String> sentences) throws Exception {
    Path dir = Files.createTempDirectory("onnx");
    try (InputStream in =
        MiniLmModelTest.class.getClassLoader().getResourceAsStream(MiniLmModel.ONNX_RESOURCE)) {
      Files.copy(in, dir.resolve("minilm.onnx"));
    }
    Criteria<NDList, NDList> criteria =
        Criteria.builder()
            .setTypes(NDList.class, NDList.class)
            .optEngine("OnnxRuntime")
            .optModelPath(dir)
            .optModelName("minilm")
            .optTranslator(new NoopTranslator())
            .build();
    float[][] result = new float[sentences.size()][];
    try (ZooModel<NDList, NDList> onnx = criteria.loadModel();
        Predictor<NDList, NDList> predictor = onnx.newPredictor();
        HuggingFaceTokenizer tokenizer =
            HuggingFaceTokenizer.builder()
                .optTokenizerPath(cache.resolve(MiniLmModel.TOKENIZER_RESOURCE))
                .optMaxLength(256)
                .optTruncation(true)
                .build();
        NDManager manager = NDManager.newBaseManager("OnnxRuntime")) {
      for (int i = 0; i < sentences.size(); i++) {
        Encoding encoding = tokenizer.encode(sentences.get(i));
        int length = encoding.getIds().length;
        Shape shape = new Shape(1, length);
        NDArray ids = manager.create(encoding.getIds(), shape);
        ids.setName("input_ids");
        NDArray mask = manager.create(encoding.getAttentionMask(), shape);
        mask.setName("attention_mask");
        NDArray types = manager.create(new long[length], shape);
        types.setName("token_type_ids");
        float[] states = predictor.predict(new NDList(ids, mask, types)).get(0).toFloatArray();
        float[] mean = new float[384];
        for (int t = 0; t < length; t++) {
          for (int d = 0; d < 384; d++) {
            mean[d] += states[t * 384 + d] / length;
          }
        }
        result[i] = mean;
      }
    }
    return result;
  }

  static float[] row(float[] matrix, int i) {
    return java.util.Arrays.copyOfRange(matrix, i * 384, (i + 1) * 384);
  }

  static double norm(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += x * x;
    }
    return Math.sqrt(sum);
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
    }
    return dot / (norm(a) * norm(b));
  }
}
