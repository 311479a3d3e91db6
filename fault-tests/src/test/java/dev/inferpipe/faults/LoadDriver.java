package dev.inferpipe.faults;

import static org.awaitility.Awaitility.await;

import dev.inferpipe.contracts.InferTensor;
import dev.inferpipe.contracts.InferenceCodec;
import dev.inferpipe.contracts.InferenceResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * An open-loop load of {@code simulated} inference requests against one ingress: a steady rate,
 * whatever the answers do, each request with its own body id that the simulated model echoes. It
 * keeps every {@link Call} so that a test can account for each one.
 *
 * <p>Owns its sender thread and its HTTP client.
 */
final class LoadDriver implements AutoCloseable {
  /** The outcome of a request that got no answer by its deadline plus the margin. */
  static final String WAITED_OUT = "no answer by the deadline plus margin";

  private static final InferenceCodec CODEC = new InferenceCodec();

  private final String name;
  private final URI infer;
  private final Duration deadline;
  private final Duration margin;
  private final long startNanos;
  private final ExecutorService executor =
      Executors.newCachedThreadPool(
          r -> {
            Thread thread = new Thread(r, "load-answers");
            thread.setDaemon(true);
            return thread;
          });
  private final HttpClient client;
  private final Thread sender;
  // guarded by itself
  private final List<Call> calls = new ArrayList<>();
  private volatile double rate;
  private volatile boolean sending = true;
  private volatile boolean routable = true;

  /**
   * Starts sending {@code rate} requests per second to {@code ingress}, each with the deadline
   * {@code deadline}; a request with no answer {@code margin} after its deadline counts as lost.
   */
  LoadDriver(String name, URI ingress, double rate, Duration deadline, Duration margin) {
    this.name = name;
    this.infer = ingress.resolve("/v2/models/" + FaultPipeline.MODEL + "/infer");
    this.deadline = deadline;
    this.margin = margin;
    this.rate = rate;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(deadline)
            .executor(executor)
            .build();
    awaitModelServed(ingress.resolve("/v2/models/" + FaultPipeline.MODEL + "/ready"));
    this.startNanos = System.nanoTime();
    this.sender = new Thread(this::send, "load-" + name);
    sender.setDaemon(true);
    sender.start();
  }

  /**
   * Waits until the ingress has heard a worker announce the model: a worker in the group may not
   * have announced it yet, and until then the ingress answers 404 for it.
   */
  private void awaitModelServed(URI ready) {
    HttpRequest request = HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).build();
    await(name + ": the ingress serves " + FaultPipeline.MODEL)
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(
            () -> client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
  }

  /**
   * From now on sends only while the ingress says it is ready ({@code /v2/health/ready}, asked
   * every {@link #READINESS_PERIOD}), as a load balancer in front of it would: a stopping ingress
   * says it is not ready for its close period before it closes its listening socket, and a starting
   * one until it can serve. The requests it would have got meanwhile are not sent.
   */
  LoadDriver followReadiness(URI ingress) {
    HttpRequest probe =
        HttpRequest.newBuilder(ingress.resolve("/v2/health/ready"))
            .timeout(READINESS_PERIOD.multipliedBy(4))
            .build();
    Thread prober =
        new Thread(
            () -> {
              while (sending) {
                try {
                  routable =
                      client.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode()
                          == 200;
                } catch (IOException e) {
                  routable = false;
                } catch (InterruptedException e) {
                  return;
                }
                LockSupport.parkNanos(READINESS_PERIOD.toNanos());
              }
            },
            "readiness-" + name);
    prober.setDaemon(true);
    prober.start();
    return this;
  }

  /** How often {@link #followReadiness} asks. */
  static final Duration READINESS_PERIOD = Duration.ofMillis(250);

  /** Milliseconds since the load began: the time line that {@link Call#sentMillis} uses. */
  long elapsedMillis() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** How many of the calls so far match, while the load runs. */
  long count(Predicate<Call> which) {
    synchronized (calls) {
      return calls.stream().filter(which).count();
    }
  }

  /** Waits until {@code count} requests sent after {@code fromMillis} were answered with 200. */
  void awaitOk(long fromMillis, int count) {
    await(name + ": " + count + " answers with 200 to requests sent after " + fromMillis + " ms")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> count(c -> c.sentMillis >= fromMillis && c.status() == 200) >= count);
  }

  void rate(double perSecond) {
    this.rate = perSecond;
  }

  /** Stops sending, then waits until every request has its answer or is past deadline + margin. */
  List<Call> finish() throws InterruptedException {
    sending = false;
    sender.join();
    List<Call> all;
    synchronized (calls) {
      all = List.copyOf(calls);
    }
    try {
      CompletableFuture.allOf(all.stream().map(c -> c.done).toArray(CompletableFuture[]::new))
          .get(deadline.plus(margin).plusSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException ignored) {
      // a request without an answer stays unanswered: the test counts it as lost
    }
    return all;
  }

  private void send() {
    long next = System.nanoTime();
    for (int seq = 0; sending; seq++) {
      for (long wait; (wait = next - System.nanoTime()) > 0 && sending; ) {
        LockSupport.parkNanos(Math.min(wait, 50_000_000));
      }
      if (!sending) {
        return;
      }
      if (routable) {
        send(name + "-" + seq);
      }
      next += (long) (1e9 / rate);
    }
  }

  private void send(String id) {
    Call call = new Call(id, name, elapsedMillis());
    synchronized (calls) {
      calls.add(call);
    }
    byte[] body =
        ("{\"id\":\""
                + id
                + "\",\"inputs\":[{\"name\":\"input\",\"shape\":[1],\"datatype\":\"BYTES\","
                + "\"data\":[\""
                + id
                + "\"]}]}")
            .getBytes(StandardCharsets.UTF_8);
    HttpRequest request =
        HttpRequest.newBuilder(infer)
            .timeout(deadline.plus(margin))
            .header("Content-Type", "application/json")
            .header("Inference-Timeout-Ms", Long.toString(deadline.toMillis()))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    long start = System.nanoTime();
    client
        .sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .whenComplete(
            (response, failure) -> {
              long took = (System.nanoTime() - start) / 1_000_000;
              if (response != null) {
                answered(call, response, took);
              } else {
                call.failed(why(failure), took);
              }
            });
  }

  private static void answered(Call call, HttpResponse<byte[]> response, long took) {
    int status = response.statusCode();
    String outcome = Integer.toString(status);
    boolean foreign = false;
    try {
      InferenceResponse body = CODEC.decodeResponse(response.body());
      if (body.errorCode() != null) {
        outcome = status + " " + body.errorCode().name();
      } else {
        foreign = !call.id.equals(body.id()) || !echoes(body, call.id);
      }
    } catch (RuntimeException e) {
      outcome = status + " unreadable body";
    }
    boolean retryAfter = response.headers().firstValue("Retry-After").isPresent();
    call.answered(status, outcome, foreign, retryAfter, took);
  }

  /** The simulated model answers with the inputs it got: ours carry the request's own id. */
  private static boolean echoes(InferenceResponse body, String id) {
    if (body.outputs() == null || body.outputs().size() != 1) {
      return false;
    }
    InferTensor output = body.outputs().get(0);
    return output.data() instanceof String[] data && data.length == 1 && id.equals(data[0]);
  }

  private static String why(Throwable failure) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    if (cause instanceof HttpConnectTimeoutException) {
      return "no connection within the deadline";
    }
    if (cause instanceof ConnectException) {
      return "connection refused";
    }
    if (cause instanceof HttpTimeoutException) {
      return WAITED_OUT;
    }
    return "transport error: " + cause;
  }

  @Override
  public void close() {
    sending = false;
    executor.shutdownNow();
  }
}
