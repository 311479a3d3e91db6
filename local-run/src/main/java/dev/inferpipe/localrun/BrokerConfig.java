package dev.inferpipe.localrun;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The one place that writes a local Kafka broker's configuration: a single KRaft node that is
 * broker and controller at once, with one replica of everything, no automatic topic creation, no
 * delay before a group's first rebalance, and group sessions as short as 3 s (the worker's: a dead
 * worker's partitions move within seconds). Listeners are added by name; the controller listener is
 * always there and never advertised. {@link #set} adds or overrides any broker setting (SASL, TLS).
 */
public final class BrokerConfig {
  /** The controller's listener name. */
  public static final String CONTROLLER = "CONTROLLER";

  private record Listener(String name, String protocol, int port) {}

  private final String host;
  private final Path dataDir;
  private final int controllerPort;
  private final Map<String, Listener> listeners = new LinkedHashMap<>();
  private final Map<String, String> overrides = new LinkedHashMap<>();
  private String interBrokerListener;

  private BrokerConfig(String host, Path dataDir, int controllerPort) {
    this.host = host;
    this.dataDir = dataDir;
    this.controllerPort = controllerPort;
  }

  /** A node on {@code host} keeping its data in {@code dataDir}; its controller on a port. */
  public static BrokerConfig singleNode(String host, Path dataDir, int controllerPort) {
    return new BrokerConfig(host, dataDir, controllerPort);
  }

  /**
   * The plain listener {@code ./pipeline} and the fault tests use: {@code PLAINTEXT} on {@code
   * port}, also for the broker's own traffic.
   */
  public static BrokerConfig plaintext(String host, Path dataDir, int port, int controllerPort) {
    return singleNode(host, dataDir, controllerPort).listener("PLAINTEXT", "PLAINTEXT", port);
  }

  /**
   * Adds a listener clients reach (advertised); the first one added also carries the broker's own
   * traffic unless {@link #interBrokerListener} names another.
   */
  public BrokerConfig listener(String name, String securityProtocol, int port) {
    if (name.equals(CONTROLLER) || listeners.containsKey(name)) {
      throw new IllegalArgumentException("listener " + name + " is already defined");
    }
    listeners.put(name, new Listener(name, securityProtocol, port));
    if (interBrokerListener == null) {
      interBrokerListener = name;
    }
    return this;
  }

  public BrokerConfig interBrokerListener(String name) {
    if (!listeners.containsKey(name)) {
      throw new IllegalArgumentException("no listener " + name);
    }
    interBrokerListener = name;
    return this;
  }

  /** Adds or overrides one broker setting. */
  public BrokerConfig set(String key, String value) {
    overrides.put(key, value);
    return this;
  }

  /** The port of listener {@code name}. */
  public int port(String name) {
    Listener listener = listeners.get(name);
    if (listener == null) {
      throw new IllegalArgumentException("no listener " + name);
    }
    return listener.port();
  }

  /** The broker's settings, ready for {@code server.properties} or {@code KafkaConfig}. */
  public Properties properties() {
    if (listeners.isEmpty()) {
      throw new IllegalStateException("a broker needs at least one listener for its clients");
    }
    List<Listener> all = listeners.values().stream().toList();
    Properties server = new Properties();
    server.put("process.roles", "broker,controller");
    server.put("node.id", "1");
    server.put("controller.quorum.voters", "1@" + host + ":" + controllerPort);
    server.put("controller.listener.names", CONTROLLER);
    server.put(
        "listeners", CONTROLLER + "://" + host + ":" + controllerPort + "," + addresses(all));
    server.put("advertised.listeners", addresses(all));
    server.put(
        "listener.security.protocol.map",
        CONTROLLER
            + ":PLAINTEXT,"
            + all.stream()
                .map(l -> l.name() + ":" + l.protocol())
                .collect(Collectors.joining(",")));
    server.put("inter.broker.listener.name", interBrokerListener);
    server.put("log.dirs", dataDir.toString());
    server.put("num.partitions", "1");
    server.put("auto.create.topics.enable", "false");
    server.put("offsets.topic.num.partitions", "1");
    server.put("offsets.topic.replication.factor", "1");
    server.put("transaction.state.log.replication.factor", "1");
    server.put("transaction.state.log.min.isr", "1");
    server.put("share.coordinator.state.topic.replication.factor", "1");
    server.put("group.initial.rebalance.delay.ms", "0");
    // 3 s group sessions, so that a dead worker's partitions move within ~5 s: the classic
    // protocol's come from the workers, the consumer protocol's (KIP-848, opt-in) from these
    server.put("group.min.session.timeout.ms", "3000");
    server.put("group.consumer.min.session.timeout.ms", "3000");
    server.put("group.consumer.session.timeout.ms", "3000");
    server.put("group.consumer.min.heartbeat.interval.ms", "1000");
    server.put("group.consumer.heartbeat.interval.ms", "1000");
    server.put("log.retention.hours", "24");
    server.putAll(overrides);
    return server;
  }

  /** Writes {@link #properties()} to {@code file}. */
  public Path writeTo(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (Writer writer = Files.newBufferedWriter(file)) {
      properties().store(writer, "a local KRaft node (dev.inferpipe.localrun.BrokerConfig)");
    }
    return file;
  }

  private String addresses(List<Listener> all) {
    return all.stream()
        .map(l -> l.name() + "://" + host + ":" + l.port())
        .collect(Collectors.joining(","));
  }
}
