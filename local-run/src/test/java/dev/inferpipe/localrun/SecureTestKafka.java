package dev.inferpipe.localrun;

import dev.inferpipe.contracts.TopicNames;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real Kafka broker in this JVM (KRaft, one node) whose clients must authenticate with
 * SASL/SCRAM: a {@code SASL_PLAINTEXT} listener and a {@code SASL_SSL} listener (TLS with a
 * self-signed certificate for {@code localhost}), both accepting SCRAM-SHA-512 and SCRAM-SHA-256.
 * The SCRAM user {@link #USER} is created when the storage is formatted ({@code kafka-storage
 * format --add-scram}); only inter-broker traffic uses a plaintext listener, which tests do not
 * use.
 *
 * <p>Started on first use, it lives until the JVM exits. The password and the truststore password
 * are random per run.
 */
public final class SecureTestKafka {
  /** The SCRAM user that may use the broker. */
  public static final String USER = "pipeline";

  /** How a client reaches the broker. */
  public enum Listener {
    SASL_PLAINTEXT,
    SASL_SSL
  }

  private static SecureTestKafka instance;

  private final String password = "pw" + UUID.randomUUID().toString().replace("-", "");
  // also the password of the broker's keystore
  private final String truststorePassword = "ts" + UUID.randomUUID().toString().replace("-", "");
  private final Map<Listener, Integer> ports = new HashMap<>();
  private Path truststore;

  private SecureTestKafka() {}

  /** The running broker, started on first call. */
  public static synchronized SecureTestKafka get() {
    if (instance == null) {
      SecureTestKafka broker = new SecureTestKafka();
      try {
        broker.start();
      } catch (Exception e) {
        throw new IllegalStateException("could not start the SASL test broker: " + e, e);
      }
      instance = broker;
    }
    return instance;
  }

  public String bootstrapServers(Listener listener) {
    return "localhost:" + ports.get(listener);
  }

  /** The password of {@link #USER}. */
  public String password() {
    return password;
  }

  /** A PKCS12 truststore holding the broker's certificate, for {@link Listener#SASL_SSL}. */
  public Path truststore() {
    return truststore;
  }

  public String truststorePassword() {
    return truststorePassword;
  }

  /** The JAAS line a SCRAM client logs in with, e.g. for {@code sasl.jaas.config}. */
  public static String scramJaasConfig(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }

  /** Everything a plain Kafka client needs to reach {@code listener} as {@link #USER}. */
  public Map<String, Object> clientConfig(Listener listener, String mechanism) {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", bootstrapServers(listener));
    config.put("security.protocol", listener.name());
    config.put("sasl.mechanism", mechanism);
    config.put("sasl.jaas.config", scramJaasConfig(USER, password));
    if (listener == Listener.SASL_SSL) {
      config.put("ssl.truststore.location", truststore.toString());
      config.put("ssl.truststore.password", truststorePassword);
      config.put("ssl.truststore.type", "PKCS12");
    }
    return config;
  }

  /** A fresh prefix with all topics of the given models created (over SASL) and ready. */
  public TopicNames newTopics(int requestPartitions, int replyPartitions, String... models) {
    return TestKafka.newTopics(
        clientConfig(Listener.SASL_PLAINTEXT, "SCRAM-SHA-512"),
        requestPartitions,
        replyPartitions,
        models);
  }

  private void start() throws Exception {
    long began = System.nanoTime();
    Path dir = Files.createTempDirectory("secure-test-kafka");
    Path keystore = dir.resolve("broker.p12");
    truststore = dir.resolve("truststore.p12");
    makeCertificates(keystore);
    int[] free = freePorts(4);
    ports.put(Listener.SASL_PLAINTEXT, free[0]);
    ports.put(Listener.SASL_SSL, free[1]);
    List<String> scramUsers = new ArrayList<>();
    for (String mechanism : List.of("SCRAM-SHA-512", "SCRAM-SHA-256")) {
      scramUsers.addAll(
          List.of("--add-scram", mechanism + "=[name=" + USER + ",password=" + password + "]"));
    }
    InProcessBroker.start(brokerConfig(dir, keystore, free[2], free[3]), dir, scramUsers);
    System.out.println(
        "[SecureTestKafka] SASL_PLAINTEXT at "
            + bootstrapServers(Listener.SASL_PLAINTEXT)
            + ", SASL_SSL at "
            + bootstrapServers(Listener.SASL_SSL)
            + " (SCRAM user "
            + USER
            + ", started in "
            + (System.nanoTime() - began) / 1_000_000
            + " ms)");
  }

  /**
   * The local run's KRaft node ({@link BrokerConfig}) with SCRAM listeners for clients, TLS on one
   * of them, and a plaintext listener for the broker's own traffic only.
   */
  private BrokerConfig brokerConfig(Path dir, Path keystore, int controller, int internal) {
    BrokerConfig config =
        BrokerConfig.singleNode("localhost", dir.resolve("data"), controller)
            .listener("INTERNAL", "PLAINTEXT", internal)
            .listener("SCRAM", "SASL_PLAINTEXT", ports.get(Listener.SASL_PLAINTEXT))
            .listener("TLS", "SASL_SSL", ports.get(Listener.SASL_SSL))
            .set("sasl.enabled.mechanisms", "SCRAM-SHA-512,SCRAM-SHA-256");
    for (String listener : List.of("scram", "tls")) {
      for (String mechanism : List.of("scram-sha-512", "scram-sha-256")) {
        config.set(
            "listener.name." + listener + "." + mechanism + ".sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required;");
      }
    }
    config
        .set("listener.name.tls.ssl.keystore.location", keystore.toString())
        .set("listener.name.tls.ssl.keystore.password", truststorePassword)
        .set("listener.name.tls.ssl.key.password", truststorePassword)
        .set("listener.name.tls.ssl.keystore.type", "PKCS12")
        // clients log in again every few seconds, so that a changed credential takes effect on
        // open connections too, as it does on a broker that sets this to rotate credentials
        .set("connections.max.reauth.ms", "3000");
    return config;
  }

  /**
   * A self-signed certificate for localhost in a PKCS12 keystore ({@code keytool -genkeypair}), and
   * a truststore holding only that certificate.
   */
  private void makeCertificates(Path keystore) throws IOException, GeneralSecurityException {
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
            "-genkeypair",
            "-alias",
            "broker",
            "-keyalg",
            "EC",
            "-groupname",
            "secp256r1",
            "-dname",
            "CN=localhost",
            "-ext",
            "SAN=dns:localhost,ip:127.0.0.1",
            "-validity",
            "2",
            "-storetype",
            "PKCS12",
            "-keystore",
            keystore.toString(),
            "-storepass",
            truststorePassword,
            "-keypass",
            truststorePassword);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException("keytool -genkeypair failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while keytool ran", e);
    }
    KeyStore keys = KeyStore.getInstance(keystore.toFile(), truststorePassword.toCharArray());
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("broker", keys.getCertificate("broker"));
    try (OutputStream out = Files.newOutputStream(truststore)) {
      trusted.store(out, truststorePassword.toCharArray());
    }
  }

  /** {@code count} distinct free ports: all held open at once, so none is handed out twice. */
  private static int[] freePorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0);
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }
}
