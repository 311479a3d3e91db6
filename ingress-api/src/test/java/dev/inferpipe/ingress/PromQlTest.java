package dev.inferpipe.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {
  @Test
  void findsTheMetricsButNotFunctionsLabelsOrVariables() {
    assertThat(
            PromQl.metricNames(
                "histogram_quantile(0.99, sum by (le, model) (rate(a_seconds_bucket{x=\"y}\","
                    + " model=~\"$model\"}[$__rate_interval]))) / on (pod) b_total offset 5m"
                    + " + count(count by (pod) (c))"))
        .containsExactly("a_seconds_bucket", "b_total", "c");
    assertThat(PromQl.metricNames("label_values(d_total{namespace=\"$namespace\"}, model)"))
        .containsExactly("d_total");
  }
}
