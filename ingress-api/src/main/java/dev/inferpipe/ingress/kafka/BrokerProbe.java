package dev.inferpipe.ingress.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Asks the broker every second whether it is there, so that while it is not the ingress answers 503
 * at once instead of piling up requests that cannot be sent.
 *
 * <p>Owns its admin client and its scheduler thread.
 */
public final class BrokerProbe implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(BrokerProbe.class);
  private static final int PROBE_TIMEOUT_MS = 1500;

  private final Map<String, Object> config;
  private volatile boolean reachable;
  private boolean probed; // only the scheduler thread reads and writes it
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
