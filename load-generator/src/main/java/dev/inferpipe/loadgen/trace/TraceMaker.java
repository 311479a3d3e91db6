package dev.inferpipe.loadgen.trace;

import dev.inferpipe.contracts.InferTensor;
import dev.inferpipe.contracts.InferenceCodec;
import dev.inferpipe.contracts.InferenceRequest;
import dev.inferpipe.synthetic.SyntheticTexts;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Turns a {@link WorkloadSpec} into trace entries. Deterministic: every random draw comes from one
 * {@link SplittableRandom} seeded by the spec, in a fixed order.
 */
public final class TraceMaker {
  private static final InferenceCodec CODEC = new InferenceCodec();
  private static final long MAX_ENTRIES = 10_000_000;

  private TraceMaker() {}

  public static List<TraceEntry> make(WorkloadSpec spec) {
    SplittableRandom random = new SplittableRandom(spec.seed());
    long end = spec.length().toNanos() / 1000;
    long limit = spec.count() > 0 ? spec.count() : MAX_ENTRIES;
    List<TraceEntry> entries = new ArrayList<>();
    Arrivals arrivals = new Arrivals(spec.arrivals(), random, end);
    for (long t = arrivals.first(); t < end && entries.size() < limit; t = arrivals.next(t)) {
      String id = String.format("r%07d", entries.size() + 1);
      entries.add(
          new TraceEntry(t, id, spec.model(), spec.timeoutMs(), body(id, spec.payload(), random)));
    }
    if (entries.size() >= MAX_ENTRIES) {
      throw new IllegalArgumentException("the spec makes more than " + MAX_ENTRIES + " requests");
    }
    return entries;
  }

  static byte[] body(String id, WorkloadSpec.Payload payload, SplittableRandom random) {
    InferTensor input;
    if (payload.kind() == WorkloadSpec.PayloadKind.TENSOR) {
      long elements = 1;
      for (long dim : payload.shape()) {
        elements *= dim;
      }
      float[] data = new float[(int) elements];
      for (int i = 0; i < data.length; i++) {
        data[i] = Math.round(random.nextDouble() * 1000) / 1000f;
      }
      input = InferTensor.ofFloats("input", payload.shape(), data);
    } else {
      int texts =
          random.nextInt(payload.textsPerRequest().min(), payload.textsPerRequest().max() + 1);
      String[] data = new String[texts];
      for (int i = 0; i < texts; i++) {
        data[i] = SyntheticTexts.text(random, words(payload.words(), random));
      }
      input = InferTensor.ofStrings("text", data);
    }
    return CODEC.encode(InferenceRequest.of(id, input));
  }

  private static int words(WorkloadSpec.WordLengths lengths, SplittableRandom random) {
    if (lengths.distribution() == WorkloadSpec.Distribution.UNIFORM) {
      return random.nextInt(lengths.min(), lengths.max() + 1);
    }
    // Box-Muller from two uniform draws: deterministic and free of platform differences
    double gaussian =
        Math.sqrt(-2 * Math.log(1 - random.nextDouble()))
            * Math.cos(2 * Math.PI * random.nextDouble());
    long drawn = Math.round(lengths.median() * Math.exp(lengths.sigma() * gaussian));
    return (int) Math.max(lengths.min(), Math.min(lengths.max(), drawn));
  }

  /** Arrival times in microseconds, one after another. */
  private static final class Arrivals {
    private final WorkloadSpec.Arrivals spec;
    private final SplittableRandom random;
    private final long endMicros;
    private long burstLeft;
    private long nextBurst;

    Arrivals(WorkloadSpec.Arrivals spec, SplittableRandom random, long endMicros) {
      this.spec = spec;
      this.random = random;
      this.endMicros = endMicros;
    }

    long first() {
      if (spec.type() == WorkloadSpec.ArrivalType.BURSTS) {
        burstLeft = spec.burstSize();
        nextBurst = micros(spec.burstEverySeconds());
        return 0;
      }
      return spec.type() == WorkloadSpec.ArrivalType.CONSTANT ? 0 : following(0);
    }

    long next(long now) {
      if (spec.type() == WorkloadSpec.ArrivalType.BURSTS) {
        if (--burstLeft > 0) {
          return now;
        }
        long base = spec.rate() > 0 ? now + gap(spec.rate(), spec.poisson()) : Long.MAX_VALUE;
        if (base < nextBurst) {
          return base;
        }
        long burst = nextBurst;
        burstLeft = spec.burstSize();
        nextBurst += micros(spec.burstEverySeconds());
        return burst;
      }
      return following(now);
    }

    /** The next arrival after {@code t}, skipping stretches whose rate is 0. */
    private long following(long t) {
      while (true) {
        double rate = rateAt(t);
        long boundary = nextStepStart(t);
        if (rate > 0) {
          long candidate = t + gap(rate, poisson());
          if (candidate < boundary) {
            return candidate;
          }
        }
        // the next arrival falls in a later step: draw it again at that step's rate
        if (boundary == Long.MAX_VALUE) {
          return boundary;
        }
        t = boundary;
      }
    }

    private boolean poisson() {
      return switch (spec.type()) {
        case CONSTANT -> false;
        case POISSON -> true;
        default -> spec.poisson();
      };
    }

    private long gap(double rate, boolean poisson) {
      double seconds = poisson ? -Math.log(1 - random.nextDouble()) / rate : 1 / rate;
      return Math.max(1, Math.round(seconds * 1_000_000));
    }

    private double rateAt(long micros) {
      return switch (spec.type()) {
        case CONSTANT, POISSON, BURSTS -> spec.rate();
        case RAMP ->
            spec.from() + (spec.to() - spec.from()) * Math.min(1.0, micros / (double) endMicros);
        case STEPS -> {
          double seconds = micros / 1e6;
          double start = 0;
          for (WorkloadSpec.Step step : spec.steps()) {
            if (seconds < start + step.seconds()) {
              yield step.rate();
            }
            start += step.seconds();
          }
          yield 0;
        }
      };
    }

    private long nextStepStart(long micros) {
      if (spec.type() != WorkloadSpec.ArrivalType.STEPS) {
        return Long.MAX_VALUE;
      }
      double start = 0;
      for (WorkloadSpec.Step step : spec.steps()) {
        start += step.seconds();
        if (micros < micros(start)) {
          return micros(start);
        }
      }
      return Long.MAX_VALUE;
    }

    private static long micros(double seconds) {
      return Math.round(seconds * 1_000_000);
    }
  }
}
