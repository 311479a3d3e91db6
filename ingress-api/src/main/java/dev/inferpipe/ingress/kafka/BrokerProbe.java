package dev.inferpipe.ingress.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Asks the broker every second whether it is there, so that while it is not the ingress answers 503
 * at once instead of piling up requests that cannot be sent. A send that fails because Kafka cannot
 * be reached marks it unreachable at once, without waiting for the next probe; only a probe marks
 * it reachable again.
 *
 * <p>Owns its admin client and its scheduler thread.
 */
public final class BrokerProbe implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(BrokerProbe.class);
  private static final int PROBE_TIMEOUT_MS = 1500;

  private final Map<String, Object> config;
  private volatile boolean reachable;
  private long failedAtNanos = System.nanoTime(); // guarded by this: the last failed send
  private boolean probed; // only the scheduler thread reads and writes it
  private final List<Runnable> whileUnreachable = new CopyOnWriteArrayList<>();
  private Admin admin;
  private ScheduledExecutorService scheduler;

  public BrokerProbe(Map<String, Object> baseConfig) {
    this.config = new HashMap<>(baseConfig);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, PROBE_TIMEOUT_MS);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, PROBE_TIMEOUT_MS);
  }

  public boolean isReachable() {
    return reachable;
  }

  /** Runs {@code listener} after every probe that finds Kafka unreachable (about once a second). */
  public void whileUnreachable(Runnable listener) {
    whileUnreachable.add(listener);
  }

  /**
   * Hears that a send failed: one that timed out, lost its connection or was refused its
   * credentials says that Kafka cannot be reached, so requests are refused from now on until a
   * probe succeeds. Other failures (a record too large, say) say nothing about the broker.
   */
  public void sendFailed(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (!(cause instanceof RetriableException
        || cause instanceof AuthenticationException
        || cause instanceof AuthorizationException)) {
      return;
    }
    synchronized (this) {
      failedAtNanos = System.nanoTime();
      if (reachable) {
        log.warn(
            "a send failed ({}): answering 503 until a probe reaches Kafka", String.valueOf(cause));
        reachable = false;
      }
    }
  }

  @Override
  public synchronized void start() {
    admin = Admin.create(config);
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "broker-probe");
              thread.setDaemon(true);
              return thread;
            });
    scheduler.scheduleWithFixedDelay(this::probe, 0, 1, TimeUnit.SECONDS);
  }

  private void probe() {
    long started = System.nanoTime();
    boolean now;
    Throwable failure = null;
    try {
      admin
          .describeCluster(new DescribeClusterOptions().timeoutMs(PROBE_TIMEOUT_MS))
          .clusterId()
          .get(PROBE_TIMEOUT_MS + 500L, TimeUnit.MILLISECONDS);
      now = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (ExecutionException e) {
      now = false;
      failure = e.getCause();
    } catch (Exception e) {
      now = false;
      failure = e;
    }
    if (failure instanceof AuthenticationException) {
      // an admin client that failed to log in may keep failing after the credential is fixed
      renewAdmin();
    }
    synchronized (this) {
      if (now && started - failedAtNanos < 0) {
        return; // answered before a send failed: says nothing about Kafka now
      }
      report(now, failure);
    }
    if (!reachable) {
      whileUnreachable.forEach(Runnable::run);
    }
  }

  private void report(boolean now, Throwable failure) {
    if (now != reachable || !probed) {
      probed = true;
      if (now) {
        log.info("Kafka is reachable");
      } else {
        // an authentication failure says so here (SaslAuthenticationException: ...)
        log.warn(
            "Kafka is unreachable: answering 503 until it is back ({})", String.valueOf(failure));
      }
      reachable = now;
    }
  }

  private synchronized void renewAdmin() {
    if (scheduler != null) {
      admin.close(java.time.Duration.ZERO);
      admin = Admin.create(config);
    }
  }

  @Override
  public synchronized void stop() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      admin.close();
      scheduler = null;
    }
  }

  @Override
  public boolean isRunning() {
    return scheduler != null;
  }

  /** Runs as long as the web server does, like the reply listener. */
  @Override
  public int getPhase() {
    return ReplyListener.PHASE;
  }
}
