package dev.inferpipe.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.inferpipe.contracts.GoldenMessages;
import dev.inferpipe.localrun.TestKafka;
import dev.inferpipe.worker.PrometheusScrape;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A worker and an ingress serving a success, a rejection and two timeouts (one answered late, one
 * expired in the worker's queue); both {@code /metrics} scrapes have the listed series with
 * Prometheus names, and the Grafana dashboard asks only for series they expose.
 */
class MetricsEndpointsTest {
  private static final String MODEL = "metered";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Path DASHBOARD = Path.of("..", "k8s", "grafana", "inferpipe-dashboard.json");

  /** The ingress's series, as sample names; docs/metrics.md lists each. */
  private static final List<String> INGRESS_SAMPLES =
      List.of(
          "inference_ingress_requests_total",
          "inference_ingress_request_duration_seconds_bucket",
          "inference_ingress_request_duration_seconds_count",
          "inference_ingress_request_duration_seconds_sum",
          "inference_ingress_in_flight_requests",
          "inference_ingress_rejections_total",
          "inference_ingress_timeouts_total",
          "inference_ingress_late_replies_total",
          "inference_ingress_stage_seconds_bucket",
          "inference_ingress_stage_seconds_count");

  /** Series the dashboard takes from kube-state-metrics (see k8s/README.md). */
  private static final Set<String> KUBE_STATE_METRICS =
      Set.of(
          "kube_deployment_status_replicas",
          "kube_horizontalpodautoscaler_status_desired_replicas",
          "kube_statefulset_status_replicas");

  /** KEDA's operator metric the dashboard reads the lag from while no worker runs. */
  static final Set<String> KEDA_METRICS = Set.of("keda_scaler_metrics_value");

  private static LocalPipeline pipeline;
  private static ConfigurableApplicationContext worker;
  private static LocalPipeline.Ingress ingress;
  private static PrometheusScrape ingressScrape;
  private static PrometheusScrape workerScrape;

  @BeforeAll
  static void serveSomeRequests() throws Exception {
    pipeline = new LocalPipeline(TestKafka.newTopics(1, 1, MODEL));
    worker =
        pipeline.startWorker(
            MODEL, "simulated", "--worker.model.simulated-base-ms=300", "--worker.batch-size=1");
    ingress = pipeline.startIngress(0, MODEL);

    assertThat(ingress.post(MODEL, GoldenMessages.fp32Request()).statusCode()).isEqualTo(200);
    assertThat(ingress.post("nope", GoldenMessages.fp32Request()).statusCode()).isEqualTo(404);
    // the first runs for 300 ms and answers late; the second waits behind it and expires
    List<CompletableFuture<HttpResponse<String>>> late =
        List.of(sendWithDeadline(100), sendWithDeadline(100));
    for (var call : late) {
      assertThat(call.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(504);
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              ingressScrape = PrometheusScrape.of(ingress.context());
              return ingressScrape.sum("inference_ingress_late_replies_total") == 2;
            });
    workerScrape = PrometheusScrape.of(worker);
  }

  private static CompletableFuture<HttpResponse<String>> sendWithDeadline(int millis) {
    return LocalPipeline.HTTP.sendAsync(
        ingress
            .infer(MODEL, GoldenMessages.fp32Request())
            .header("Inference-Timeout-Ms", Integer.toString(millis))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @AfterAll
  static void stop() {
    pipeline.close();
  }

  @Test
  void theIngressScrapeCountsRequestsByModelAndOutcome() {
    PrometheusScrape scrape = ingressScrape;

    assertThat(scrape.sampleNames()).containsAll(INGRESS_SAMPLES);
    String model = "model=\"" + MODEL + "\"";
    assertThat(scrape.sum("inference_ingress_requests_total", model, "outcome=\"success\""))
        .isEqualTo(1);
    assertThat(scrape.sum("inference_ingress_requests_total", model, "outcome=\"timeout\""))
        .isEqualTo(2);
    // an unknown model's name never becomes a label value
    assertThat(
            scrape.sum(
                "inference_ingress_requests_total", "model=\"unknown\"", "outcome=\"rejected\""))
        .isEqualTo(1);
    assertThat(scrape.sum("inference_ingress_rejections_total", "reason=\"MODEL_NOT_FOUND\""))
        .isEqualTo(1);
    assertThat(scrape.labelSets("inference_ingress_requests_total"))
        .noneMatch(l -> l.contains("nope"));
    assertThat(scrape.sum("inference_ingress_timeouts_total", model)).isEqualTo(2);
    assertThat(scrape.sum("inference_ingress_request_duration_seconds_count", model)).isEqualTo(3);
    assertThat(scrape.sum("inference_ingress_in_flight_requests")).isZero();
    assertThat(workerScrape.sum("inference_worker_expired_requests_total")).isEqualTo(1);
  }

  @Test
  void theIngressScrapeHasTheLatencyBudgetsStages() {
    String model = "model=\"" + MODEL + "\"";
    // three requests reached Kafka; one reply came in time (the others' came late), and all three
    // were answered, 200 or 504
    assertThat(ingressScrape.sum("inference_ingress_stage_seconds_count", model, stage("produce")))
        .isEqualTo(3);
    assertThat(
            ingressScrape.sum("inference_ingress_stage_seconds_count", model, stage("reply_hop")))
        .isEqualTo(1);
    assertThat(ingressScrape.sum("inference_ingress_stage_seconds_count", model, stage("respond")))
        .isEqualTo(3);
    assertThat(workerScrape.sum("inference_worker_stage_seconds_count", stage("compute")))
        .isEqualTo(2);
  }

  private static String stage(String name) {
    return "stage=\"" + name + "\"";
  }

  @Test
  void promtoolAcceptsBothScrapes() throws Exception {
    assumeTrue(PrometheusScrape.promtoolInstalled(), "promtool is not on the PATH");

    assertThat(ingressScrape.promtoolProblems()).as("ingress").isEmpty();
    assertThat(workerScrape.promtoolProblems()).as("worker").isEmpty();
  }

  static JsonNode dashboard() throws Exception {
    return JSON.readTree(Files.readString(DASHBOARD));
  }

  /** The PromQL of every panel's targets. */
  static List<String> panelQueries(JsonNode dashboard) {
    List<String> queries = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(panel.path("datasource").path("uid").asString())
          .as(panel.path("title").asString())
          .isEqualTo("${datasource}");
      panel.path("targets").forEach(target -> queries.add(target.path("expr").asString()));
    }
    return queries;
  }

  @Test
  void theDashboardAsksOnlyForSeriesTheAppsOrKubeStateMetricsExpose() throws Exception {
    JsonNode dashboard = dashboard();
    Set<String> exposed = new TreeSet<>(ingressScrape.sampleNames());
    exposed.addAll(workerScrape.sampleNames());
    exposed.addAll(KUBE_STATE_METRICS);
    exposed.addAll(KEDA_METRICS);

    Set<String> asked = new TreeSet<>();
    panelQueries(dashboard).forEach(query -> asked.addAll(PromQl.metricNames(query)));
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      asked.addAll(PromQl.metricNames(variable.path("query").path("query").asString()));
    }

    assertThat(asked)
        .contains(
            "inference_ingress_request_duration_seconds_bucket",
            "inference_worker_consumer_lag_records",
            "kube_deployment_status_replicas");
    assertThat(exposed).containsAll(asked);
  }

  @Test
  void promtoolParsesEveryDashboardQuery(@TempDir Path dir) throws Exception {
    assumeTrue(PrometheusScrape.promtoolInstalled(), "promtool is not on the PATH");
    List<Map<String, String>> rules = new ArrayList<>();
    for (String query : panelQueries(dashboard())) {
      // Grafana's variables become plain values
      String expression = query.replace("$__rate_interval", "5m").replaceAll("\\$\\w+", "x");
      rules.add(Map.of("record", "dashboard:query_" + rules.size(), "expr", expression));
    }
    Path file = dir.resolve("dashboard-rules.json");
    Files.writeString(
        file,
        JSON.writeValueAsString(
            Map.of("groups", List.of(Map.of("name", "dashboard", "rules", rules)))));

    assertThat(PrometheusScrape.promtool("", "check", "rules", file.toString())).isEmpty();
  }

  @Test
  void theDashboardHasTheIssuesPanelsAndADataSourceVariable() throws Exception {
    JsonNode dashboard = dashboard();

    assertThat(dashboard.path("panels").valueStream().map(p -> p.path("title").asString()))
        .contains(
            "Throughput",
            "End-to-end latency percentiles",
            "Batch size",
            "Queue time",
            "Consumer lag",
            "Replicas",
            "Worker error answers",
            "Batch cap in force",
            "Batch wait in force");
    assertThat(dashboard.path("templating").path("list").valueStream())
        .anySatisfy(v -> assertThat(v.path("type").asString()).isEqualTo("datasource"));
    assertThat(Files.readString(DASHBOARD.resolveSibling("kustomization.yaml")))
        .contains("- " + DASHBOARD.getFileName(), "grafana_dashboard: \"1\"");
  }
}
