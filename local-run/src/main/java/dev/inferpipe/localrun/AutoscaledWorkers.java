package dev.inferpipe.localrun;

import dev.inferpipe.autoscaler.ConsumerGroupLag;
import dev.inferpipe.autoscaler.ReplicaCalculator;
import dev.inferpipe.autoscaler.ScalingSettings;
import dev.inferpipe.autoscaler.Supervisor;
import dev.inferpipe.autoscaler.Timeline;
import dev.inferpipe.contracts.TopicNames;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The autoscaler's {@link Supervisor} run in this JVM: every tick it reads the worker group's lag
 * and starts or stops {@link WorkerReplicas} to match KEDA's formula; {@code autoscaler.csv} in the
 * log folder records each tick.
 */
public final class AutoscaledWorkers implements AutoCloseable {
  /** How long the replicas get to finish their batches and leave when the supervisor stops. */
  public static final Duration STOP_GRACE = Duration.ofSeconds(90);

  private final Admin admin;
  private final Supervisor supervisor;
  private final Thread loop;

  /**
   * Starts the loop.
   *
   * @param replicas the worker processes it scales
   * @param out where the timeline prints its changes
   */
  public AutoscaledWorkers(
      String bootstrapServers,
      TopicNames topics,
      String model,
      ScalingSettings settings,
      Duration tick,
      WorkerReplicas replicas,
      Path logDir,
      PrintStream out) {
    this.admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
    Clock clock = Clock.systemUTC();
    this.supervisor =
        new Supervisor(
            new ConsumerGroupLag(
                admin, topics.requests(model), topics.workerGroup(model), Duration.ofSeconds(10)),
            new ReplicaCalculator(settings, clock.instant()),
            replicas,
            new Timeline(timeline(logDir), out, clock.instant()),
            tick,
            clock);
    this.loop = new Thread(supervisor, "autoscaler");
    loop.start();
  }

  /** The timeline's CSV in {@code logDir}. */
  public static Path timeline(Path logDir) {
    return logDir.resolve("autoscaler.csv");
  }

  /** Whether the loop still runs. */
  public boolean isAlive() {
    return loop.isAlive();
  }

  /** Ends the loop; every replica finishes its batch and leaves, or is killed after the grace. */
  @Override
  public void close() {
    try {
      supervisor.stop(STOP_GRACE);
      loop.join(STOP_GRACE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      admin.close(Duration.ofSeconds(5));
    }
  }
}
