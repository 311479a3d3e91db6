package dev.inferpipe.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticTextsTest {
  @Test
  void theSameSeedGivesTheSameTexts() {
    assertThat(SyntheticTexts.generate(7, 50, 3, 9))
        .isEqualTo(SyntheticTexts.generate(7, 50, 3, 9))
        .isNotEqualTo(SyntheticTexts.generate(8, 50, 3, 9));
  }

  @Test
  void eachTextHasAWordCountInTheRangeAndEndsWithAFullStop() {
    List<String> texts = SyntheticTexts.generate(1, 500, 3, 9);

    assertThat(texts).hasSize(500);
    assertThat(texts)
        .allSatisfy(
            text -> {
              assertThat(text).endsWith(".");
              assertThat(text.split(" ")).hasSizeBetween(3, 9);
            });
    assertThat(texts.stream().map(t -> t.split(" ").length).distinct()).hasSize(7);
  }
}
