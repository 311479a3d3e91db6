package dev.inferpipe.localrun;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The models a local worker can serve: the name clients use, the worker's {@code
 * worker.model.kind}, and a small request that makes the round trip once the pipeline is up.
 */
public enum LocalModel {
  /** all-MiniLM-L6-v2 sentence embeddings on libtorch. */
  MINILM(
      "all-minilm-l6-v2",
      "minilm",
      "{\"inputs\":[{\"name\":\"text\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"ready?\"]}]}"),
  /** The simulated accelerator: no compute, it echoes its inputs. */
  SIMULATED(
      "simulated",
      "simulated",
      "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}");

  private final String modelName;
  private final String kind;
  private final String probeRequest;

  LocalModel(String modelName, String kind, String probeRequest) {
    this.modelName = modelName;
    this.kind = kind;
    this.probeRequest = probeRequest;
  }

  public String modelName() {
    return modelName;
  }

  public String kind() {
    return kind;
  }

  /** A KServe v2 infer request body this model answers. */
  public String probeRequest() {
    return probeRequest;
  }

  /** The model called {@code name}; the error names the known ones. */
  public static LocalModel named(String name) {
    return Arrays.stream(values())
        .filter(model -> model.modelName.equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown model '"
                        + name
                        + "': choose "
                        + Arrays.stream(values())
                            .map(LocalModel::modelName)
                            .collect(Collectors.joining(" or "))));
  }
}
