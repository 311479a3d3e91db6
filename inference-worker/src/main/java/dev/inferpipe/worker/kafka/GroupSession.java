package dev.inferpipe.worker.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Under Kafka's classic group protocol, how long the worker's group session lasts (under the
 * consumer protocol the broker's {@code group.consumer.session.timeout.ms} decides): a worker that
 * dies without leaving (SIGKILL, OOM, a lost node) holds its partitions until its session expires,
 * so the shorter the sooner the others take them over. It asks for 3 s, or the broker's {@code
 * group.min.session.timeout.ms} where that is higher (Kafka's default is 6 s; {@code ./pipeline}'s
 * broker allows 3 s). A broker whose setting cannot be read gets Kafka's default minimum.
 */
final class GroupSession {
  private static final Logger log = LoggerFactory.getLogger(GroupSession.class);

  /** The session the worker asks for. */
  static final int PREFERRED_MS = 3000;

  /** Kafka's default {@code group.min.session.timeout.ms}. */
  static final int KAFKA_DEFAULT_MINIMUM_MS = 6000;

  private static final String BROKER_MINIMUM = "group.min.session.timeout.ms";
  private static final int TIMEOUT_MS = 5000;

  private GroupSession() {}

  /** The session timeout to use with the broker that {@code clientConfig} reaches. */
  static int timeoutMs(Map<String, Object> clientConfig) {
    Map<String, Object> config = new HashMap<>();
    clientConfig.forEach(
        (key, value) -> {
          if (AdminClientConfig.configNames().contains(key)) {
            config.put(key, value);
          }
        });
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
    try (Admin admin = Admin.create(config)) {
      Node broker =
          admin.describeCluster().nodes().get(TIMEOUT_MS, TimeUnit.MILLISECONDS).iterator().next();
      ConfigResource resource = new ConfigResource(ConfigResource.Type.BROKER, broker.idString());
      ConfigEntry minimum =
          admin
              .describeConfigs(List.of(resource))
              .all()
              .get(TIMEOUT_MS, TimeUnit.MILLISECONDS)
              .get(resource)
              .get(BROKER_MINIMUM);
      int brokerMinimum = Integer.parseInt(minimum.value());
      if (brokerMinimum > PREFERRED_MS) {
        log.info(
            "the broker's {} is {} ms: a dead worker's partitions move after that long (set it to"
                + " {} on the broker for faster takeovers)",
            BROKER_MINIMUM,
            brokerMinimum,
            PREFERRED_MS);
      }
      return Math.max(PREFERRED_MS, brokerMinimum);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return KAFKA_DEFAULT_MINIMUM_MS;
    } catch (Exception e) {
      log.info(
          "could not read the broker's {} ({}): using Kafka's default minimum, {} ms",
          BROKER_MINIMUM,
          e.toString(),
          KAFKA_DEFAULT_MINIMUM_MS);
      return KAFKA_DEFAULT_MINIMUM_MS;
    }
  }
}
