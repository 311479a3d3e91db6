package dev.inferpipe.ingress;

import dev.inferpipe.contracts.ErrorCode;
import dev.inferpipe.ingress.correlation.ReplyCorrelator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/** The ingress's Prometheus metrics. */
public final class IngressMetrics {
  private final MeterRegistry registry;

  public IngressMetrics(MeterRegistry registry, ReplyCorrelator correlator) {
    this.registry = registry;
    Gauge.builder("inference_ingress_in_flight", correlator, ReplyCorrelator::inFlight)
        .description("Requests waiting for their reply")
        .register(registry);
    FunctionCounter.builder(
            "inference_ingress_unmatched_replies", correlator, ReplyCorrelator::unmatchedReplies)
        .description("Replies that arrived when nobody waited any more (late or duplicate)")
        .register(registry);
  }

  /** A request ended with {@code status}, {@code nanos} after it arrived. */
  public void completed(String model, int status, long nanos) {
    Timer.builder("inference_ingress_request_duration")
        .description("End-to-end time of inference requests, HTTP in to HTTP out")
        .tag("model", model)
        .tag("status", Integer.toString(status))
        .publishPercentileHistogram()
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A request refused before it reached Kafka. */
  public void rejected(ErrorCode code) {
    Counter.builder("inference_ingress_rejections")
        .description("Requests refused by the ingress itself, by reason")
        .tag("reason", code.name())
        .register(registry)
        .increment();
  }
}
