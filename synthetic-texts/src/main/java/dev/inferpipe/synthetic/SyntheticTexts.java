package dev.inferpipe.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic English-like texts for benchmarks and load generation: the same seed gives the same
 * texts. In a module of its own so that the model benchmark (in the worker) and the load generator
 * send the same kind of text.
 */
public final class SyntheticTexts {
  private static final String[] WORDS =
      ("the a of to and in is it that for on with as was at by from this be are or an have not"
              + " but which one all their there can more when will would what about up out into"
              + " model batch queue latency broker partition worker request reply kafka inference"
              + " throughput gpu memory vector sentence embedding cluster node pod scale lag offset"
              + " record stream topic consumer producer network server client fast small large")
          .split(" ");

  private SyntheticTexts() {}

  /** One text of {@code words} words drawn from {@code random}. */
  public static String text(SplittableRandom random, int words) {
    StringBuilder text = new StringBuilder();
    for (int w = 0; w < words; w++) {
      if (w > 0) {
        text.append(' ');
      }
      text.append(WORDS[random.nextInt(WORDS.length)]);
    }
    return text.append('.').toString();
  }

  /** {@code count} texts of {@code minWords} to {@code maxWords} words each. */
  public static List<String> generate(long seed, int count, int minWords, int maxWords) {
    SplittableRandom random = new SplittableRandom(seed);
    List<String> texts = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      texts.add(text(random, random.nextInt(minWords, maxWords + 1)));
    }
    return texts;
  }
}
