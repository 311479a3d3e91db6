package dev.inferpipe.loadgen.trace;

import java.time.Duration;
import java.util.List;

/**
 * What a trace holds: when requests arrive and what they carry, from a seed. Written as YAML (see
 * loadgen/README.md); every field is checked, unknown fields are refused.
 *
 * @param seed makes the trace reproducible: the same spec and seed give a byte-identical trace
 * @param model the model every request is for
 * @param duration how long the trace lasts (unless {@code count} ends it first)
 * @param count the most requests (0: no limit)
 * @param timeoutMs each request's deadline
 * @param arrivals when requests are sent
 * @param payload what they carry
 */
public record WorkloadSpec(
    long seed,
    String model,
    Duration duration,
    long count,
    long timeoutMs,
    Arrivals arrivals,
    Payload payload) {

  public WorkloadSpec {
    require(model != null && !model.isBlank(), "model: required");
    require(arrivals != null, "arrivals: required");
    require(
        duration != null || count > 0 || arrivals.type() == ArrivalType.STEPS,
        "duration or count: at least one must bound the trace");
    require(count >= 0, "count: must be 0 or more, was " + count);
    timeoutMs = timeoutMs == 0 ? 10_000 : timeoutMs;
    require(timeoutMs > 0, "timeout_ms: must be positive, was " + timeoutMs);
    payload = payload == null ? new Payload(null, null, null, null) : payload;
  }

  static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /** The trace's length: the steps' total for {@code steps}, else {@link #duration}. */
  public Duration length() {
    if (arrivals.type() == ArrivalType.STEPS) {
      return Duration.ofMillis(
          (long) (arrivals.steps().stream().mapToDouble(Step::seconds).sum() * 1000));
    }
    return duration == null ? Duration.ofDays(365) : duration;
  }

  public enum ArrivalType {
    CONSTANT,
    POISSON,
    STEPS,
    RAMP,
    BURSTS
  }

  /**
   * @param type constant (evenly spaced), poisson (random gaps), steps, ramp or bursts
   * @param rate requests per second (constant, poisson; the base rate of bursts)
   * @param steps for steps: the rate during each step, in order
   * @param from for ramp: the rate at the start
   * @param to for ramp: the rate at the end
   * @param burstSize for bursts: how many requests arrive at once
   * @param burstEverySeconds for bursts: how often
   * @param poisson whether steps, ramps and bursts' base rate use random (Poisson) gaps; default
   *     true
   */
  public record Arrivals(
      ArrivalType type,
      double rate,
      List<Step> steps,
      double from,
      double to,
      int burstSize,
      double burstEverySeconds,
      Boolean poisson) {
    public Arrivals {
      require(type != null, "arrivals.type: one of constant, poisson, steps, ramp, bursts");
      switch (type) {
        case CONSTANT, POISSON ->
            require(
                rate > 0, "arrivals.rate: must be positive for " + name(type) + ", was " + rate);
        case STEPS -> {
          require(steps != null && !steps.isEmpty(), "arrivals.steps: a non-empty list for steps");
          for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            require(
                step.rate() >= 0 && step.seconds() > 0,
                "arrivals.steps[" + i + "]: rate must be 0 or more and seconds positive");
          }
        }
        case RAMP ->
            require(
                from >= 0 && to >= 0 && from + to > 0,
                "arrivals.from/to: rates of 0 or more, not both 0");
        case BURSTS -> {
          require(burstSize > 0, "arrivals.burst_size: must be positive, was " + burstSize);
          require(
              burstEverySeconds > 0,
              "arrivals.burst_every_seconds: must be positive, was " + burstEverySeconds);
          require(rate >= 0, "arrivals.rate: the base rate must be 0 or more, was " + rate);
        }
      }
      poisson = poisson == null || poisson;
    }

    private static String name(ArrivalType type) {
      return type.name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A step of a step load: {@code rate} requests per second for {@code seconds}. */
  public record Step(double rate, double seconds) {}

  public enum PayloadKind {
    TEXT,
    TENSOR
  }

  /**
   * @param kind text (BYTES input {@code text}, for embedding models) or tensor (FP32 input {@code
   *     input}, for the simulated accelerator and TorchScript models)
   * @param textsPerRequest for text: how many texts one request carries
   * @param words for text: the length of each text in words
   * @param shape for tensor: the input's shape
   */
  public record Payload(PayloadKind kind, Range textsPerRequest, WordLengths words, long[] shape) {
    public Payload {
      kind = kind == null ? PayloadKind.TEXT : kind;
      textsPerRequest = textsPerRequest == null ? new Range(1, 1) : textsPerRequest;
      words = words == null ? new WordLengths(null, 8, 16, 0, 0) : words;
      shape = shape == null ? new long[] {1, 4} : shape;
      require(
          textsPerRequest.min() >= 1 && textsPerRequest.max() >= textsPerRequest.min(),
          "payload.texts_per_request: 1 <= min <= max");
    }
  }

  /** An inclusive integer range. */
  public record Range(int min, int max) {}

  public enum Distribution {
    UNIFORM,
    LOGNORMAL
  }

  /**
   * Text lengths in words: uniform between min and max, or lognormal around {@code median} with
   * {@code sigma}, clipped to min..max.
   */
  public record WordLengths(
      Distribution distribution, int min, int max, double median, double sigma) {
    public WordLengths {
      distribution = distribution == null ? Distribution.UNIFORM : distribution;
      require(min >= 1 && max >= min, "payload.words: 1 <= min <= max, was " + min + ".." + max);
      if (distribution == Distribution.LOGNORMAL) {
        require(
            median > 0 && sigma > 0, "payload.words: lognormal needs a positive median and sigma");
      }
    }
  }
}
