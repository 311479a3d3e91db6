package dev.inferpipe.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferpipe.contracts.ErrorCode;
import dev.inferpipe.localrun.TestKafka;
import dev.inferpipe.worker.PrometheusScrape;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A worker and an ingress that have served nothing yet: every counter the dashboard reads is
 * already in their scrapes at zero, for the configured model (and the ingress's {@code unknown})
 * and every reason, so that no panel says "No data" before the first event; and the dashboard's
 * variables come from the ingress, which runs while the workers are scaled to zero.
 */
class MetricsAtStartTest {
  private static final String MODEL = "fresh";

  @Test
  void everyCounterTheDashboardReadsIsThereAtZeroFromTheStart() throws Exception {
    try (LocalPipeline pipeline = new LocalPipeline(TestKafka.newTopics(1, 1, MODEL))) {
      ConfigurableApplicationContext worker = pipeline.startWorker(MODEL, "simulated");
      LocalPipeline.Ingress ingress = pipeline.startIngress(0, MODEL);
      PrometheusScrape ingressScrape = PrometheusScrape.of(ingress.context());
      PrometheusScrape workerScrape = PrometheusScrape.of(worker);

      JsonNode dashboard = MetricsEndpointsTest.dashboard();
      Set<String> counters = new TreeSet<>();
      MetricsEndpointsTest.panelQueries(dashboard)
          .forEach(query -> counters.addAll(PromQl.metricNames(query)));
      counters.removeIf(name -> !name.startsWith("inference_") || !name.endsWith("_total"));
      assertThat(counters)
          .contains(
              "inference_ingress_rejections_total",
              "inference_ingress_timeouts_total",
              "inference_worker_answers_total");
      for (String counter : counters) {
        PrometheusScrape scrape =
            counter.startsWith("inference_ingress_") ? ingressScrape : workerScrape;
        assertThat(scrape.sampleNames()).as(counter).contains(counter);
        assertThat(scrape.sum(counter)).as(counter).isZero();
      }

      for (String model : List.of(MODEL, IngressMetrics.UNKNOWN_MODEL)) {
        String label = "model=\"" + model + "\"";
        for (ErrorCode code : ErrorCode.values()) {
          assertThat(ingressScrape.labelSets("inference_ingress_rejections_total"))
              .as(model + " " + code)
              .anyMatch(l -> l.contains(label) && l.contains("reason=\"" + code.name() + "\""));
        }
        for (String outcome : IngressMetrics.OUTCOMES) {
          assertThat(ingressScrape.labelSets("inference_ingress_requests_total"))
              .anyMatch(l -> l.contains(label) && l.contains("outcome=\"" + outcome + "\""));
        }
        assertThat(ingressScrape.labelSets("inference_ingress_timeouts_total"))
            .anyMatch(l -> l.contains(label));
      }
      assertThat(workerScrape.labelSets("inference_worker_answers_total"))
          .anyMatch(l -> l.contains("outcome=\"error\""))
          .anyMatch(l -> l.contains("outcome=\"success\""));

      for (JsonNode variable : dashboard.path("templating").path("list")) {
        if (variable.path("type").asString().equals("query")) {
          assertThat(PromQl.metricNames(variable.path("query").path("query").asString()))
              .as(variable.path("name").asString() + " must not need a worker")
              .allMatch(name -> name.startsWith("inference_ingress_"));
        }
      }
    }
  }
}
