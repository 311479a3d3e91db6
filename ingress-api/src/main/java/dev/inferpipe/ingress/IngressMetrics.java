package dev.inferpipe.ingress;

import dev.inferpipe.contracts.ErrorCode;
import dev.inferpipe.ingress.correlation.ReplyCorrelator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The ingress's Prometheus metrics (names as scraped from {@code /metrics}):
 *
 * <ul>
 *   <li>{@code inference_ingress_requests_total{model,outcome}}: every inference request answered,
 *       outcome {@code success}, {@code error} (the worker answered with an error), {@code timeout}
 *       (504) or {@code rejected} (refused by the ingress before Kafka);
 *   <li>{@code inference_ingress_request_duration_seconds{model,outcome}}: end-to-end histogram,
 *       HTTP in to HTTP out, of the requests handed to Kafka;
 *   <li>{@code inference_ingress_in_flight_requests}: requests waiting for their reply;
 *   <li>{@code inference_ingress_rejections_total{model,reason}}: refusals by error code;
 *   <li>{@code inference_ingress_timeouts_total{model}}: requests answered 504;
 *   <li>{@code inference_ingress_late_replies_total}: replies nobody waited for any more;
 *   <li>{@code inference_ingress_kafka_reachable}, {@code inference_ingress_reply_partition_read}:
 *       1 while Kafka answers (and accepts the credentials), and while the reply partition is read.
 * </ul>
 *
 * The {@code model} label is the name of a model a worker announced, or {@code unknown} for
 * anything else, so that callers cannot grow the number of series. The counters exist at zero from
 * the start (for a model, from its announcement), for every model label, outcome and reason.
 */
public final class IngressMetrics {
  /** The request attribute in which the APIs leave the model a request asked for. */
  public static final String MODEL_ATTRIBUTE = IngressMetrics.class.getName() + ".model";

  static final String UNKNOWN_MODEL = "unknown";

  private final Set<String> models = ConcurrentHashMap.newKeySet();
  private final MeterProvider<Counter> requests;
  private final MeterProvider<Timer> durations;
  private final MeterProvider<Counter> rejections;
  private final MeterProvider<Counter> timeouts;
  private final Map<String, Map<Stage, Timer>> stages = new ConcurrentHashMap<>();

  private final MeterRegistry registry;

  public IngressMetrics(MeterRegistry registry, ReplyCorrelator correlator) {
    this.registry = registry;
    Gauge.builder("inference_ingress_in_flight_requests", correlator, ReplyCorrelator::inFlight)
        .description("Requests waiting for their reply")
        .register(registry);
    FunctionCounter.builder(
            "inference_ingress_late_replies", correlator, ReplyCorrelator::unmatchedReplies)
        .description("Replies that arrived when nobody waited any more (late or duplicate)")
        .register(registry);
    requests =
        counter(registry, "inference_ingress_requests", "Inference requests answered, by outcome");
    durations =
        Timer.builder("inference_ingress_request_duration")
            .description("End-to-end time of requests handed to Kafka, HTTP in to HTTP out")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(60))
            .withRegistry(registry);
    rejections =
        counter(
            registry,
            "inference_ingress_rejections",
            "Requests refused by the ingress itself before Kafka, by reason");
    timeouts =
        counter(
            registry,
            "inference_ingress_timeouts",
            "Requests answered 504 because no reply came before their deadline");
    register(UNKNOWN_MODEL);
  }

  /** Gives {@code model} its own label from now on: a worker announced it. */
  public synchronized void addModel(String model) {
    if (!models.contains(model)) {
      register(model); // before the label is used, so that its meters exist
      models.add(model);
    }
  }

  private void register(String model) {
    registerStages(model);
    registerAtZero(model);
  }

  /** The outcomes of {@code inference_ingress_requests_total}. */
  static final List<String> OUTCOMES =
      List.of("success", "error", "timeout", "rejected", "accepted");

  /**
   * Every counter series the dashboard reads, at zero for each model and reason before the first
   * event, so that its panels show 0 rather than "No data" and {@code rate()} sees the first one.
   */
  private void registerAtZero(String model) {
    OUTCOMES.forEach(outcome -> requests.withTags("model", model, "outcome", outcome));
    for (ErrorCode code : ErrorCode.values()) {
      rejections.withTags("model", model, "reason", code.name());
    }
    timeouts.withTags("model", model);
  }

  /** A request's stages in the ingress, for the latency budget. */
  public enum Stage {
    /** From handing the record to the producer until the broker acknowledged it. */
    PRODUCE,
    /** From the end of the worker's forward pass (its clock) to the reply's arrival here. */
    REPLY_HOP,
    /** From the reply's arrival until the HTTP response is written. */
    RESPOND;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private void registerStages(String model) {
    Map<Stage, Timer> timers = new EnumMap<>(Stage.class);
    for (Stage stage : Stage.values()) {
      timers.put(
          stage,
          Timer.builder("inference_ingress_stage")
              .description(
                  "A request's time in each stage the ingress sees: produce (record to broker"
                      + " ack), reply_hop (worker's forward pass end to reply here), respond"
                      + " (reply to HTTP response written)")
              .tag("model", model)
              .tag("stage", stage.label())
              .publishPercentileHistogram()
              .minimumExpectedValue(Duration.ofNanos(100_000))
              .maximumExpectedValue(Duration.ofSeconds(60))
              .register(registry));
    }
    stages.put(model, timers);
  }

  /** A request for {@code model} spent {@code nanos} in {@code stage}. */
  public void stage(String model, Stage stage, long nanos) {
    stages.get(label(model)).get(stage).record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
  }

  private static MeterProvider<Counter> counter(
      MeterRegistry registry, String name, String description) {
    return Counter.builder(name).description(description).withRegistry(registry);
  }

  /**
   * A request that was handed to Kafka ended with HTTP {@code status}, {@code nanos} after it came.
   */
  public void answered(String model, int status, long nanos) {
    String label = label(model);
    String outcome = outcome(status);
    requests.withTags("model", label, "outcome", outcome).increment();
    durations.withTags("model", label, "outcome", outcome).record(nanos, TimeUnit.NANOSECONDS);
    if (status == 504) {
      timeouts.withTags("model", label).increment();
    }
  }

  private static String outcome(int status) {
    if (status == 202) {
      return "accepted"; // an async request, handed to Kafka
    }
    if (status == 504) {
      return "timeout";
    }
    return status < 400 ? "success" : "error";
  }

  /** A request refused before it reached Kafka; {@code model} may be null when not yet known. */
  public void rejected(String model, ErrorCode code) {
    String label = label(model);
    requests.withTags("model", label, "outcome", "rejected").increment();
    rejections.withTags("model", label, "reason", code.name()).increment();
  }

  private String label(String model) {
    return model != null && models.contains(model) ? model : UNKNOWN_MODEL;
  }

  /** Shows whether Kafka answers this instance and whether its reply partition is read. */
  public void watchKafka(BooleanSupplier reachable, BooleanSupplier replyPartitionRead) {
    Gauge.builder("inference_ingress_kafka_reachable", reachable, r -> r.getAsBoolean() ? 1 : 0)
        .description(
            "1 while Kafka answers this instance and accepts its credentials; 0: requests get 503")
        .strongReference(true)
        .register(registry);
    Gauge.builder(
            "inference_ingress_reply_partition_read",
            replyPartitionRead,
            r -> r.getAsBoolean() ? 1 : 0)
        .description("1 while this instance reads its reply partition")
        .strongReference(true)
        .register(registry);
  }
}
