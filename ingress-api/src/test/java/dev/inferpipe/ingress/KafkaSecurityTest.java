package dev.inferpipe.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferpipe.contracts.GoldenMessages;
import dev.inferpipe.localrun.SecureTestKafka;
import dev.inferpipe.localrun.SecureTestKafka.Listener;
import dev.inferpipe.settings.SecretMasking;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The worker and the ingress configured only with Spring Boot's Kafka security settings, given as
 * program arguments the way a user gives them, against a real broker whose listeners require
 * SASL/SCRAM (and TLS): requests are served, a wrong password is reported as an authentication
 * failure, and no secret shows in the logs or on {@code /config}.
 */
@ExtendWith(OutputCaptureExtension.class)
class KafkaSecurityTest {
  private static final String MODEL = "sim";
  private static SecureTestKafka kafka;

  @BeforeAll
  static void startBroker() {
    kafka = SecureTestKafka.get();
  }

  /** The settings a user passes: {@code spring.kafka.*} only. */
  private static String[] scramArgs(String mechanism, String password) {
    return new String[] {
      "--spring.kafka.security.protocol=SASL_PLAINTEXT",
      "--spring.kafka.properties.sasl.mechanism=" + mechanism,
      "--spring.kafka.properties.sasl.jaas.config="
          + SecureTestKafka.scramJaasConfig(SecureTestKafka.USER, password)
    };
  }

  private static String[] tlsArgs(String mechanism, String password) {
    return new String[] {
      "--spring.kafka.security.protocol=SASL_SSL",
      "--spring.kafka.ssl.trust-store-location=" + kafka.truststore().toUri(),
      "--spring.kafka.ssl.trust-store-password=" + kafka.truststorePassword(),
      "--spring.kafka.ssl.trust-store-type=PKCS12",
      "--spring.kafka.properties.sasl.mechanism=" + mechanism,
      "--spring.kafka.properties.sasl.jaas.config="
          + SecureTestKafka.scramJaasConfig(SecureTestKafka.USER, password)
    };
  }

  @Test
  void servesARequestThroughTheSaslScramListener(CapturedOutput output) throws Exception {
    assertServedEndToEnd(
        kafka.bootstrapServers(Listener.SASL_PLAINTEXT),
        scramArgs("SCRAM-SHA-512", kafka.password()));

    assertThat(output.getAll()).doesNotContain(kafka.password());
  }

  @Test
  void servesARequestThroughTheTlsListenerWithScramSha256(CapturedOutput output) throws Exception {
    assertServedEndToEnd(
        kafka.bootstrapServers(Listener.SASL_SSL), tlsArgs("SCRAM-SHA-256", kafka.password()));

    assertThat(output.getAll())
        .doesNotContain(kafka.password())
        .doesNotContain(kafka.truststorePassword());
  }

  private static void assertServedEndToEnd(String bootstrap, String[] security) throws Exception {
    try (LocalPipeline pipeline = new LocalPipeline(kafka.newTopics(1, 1, MODEL))) {
      ConfigurableApplicationContext worker =
          pipeline.startWorkerOn(bootstrap, MODEL, "simulated", security);
      LocalPipeline.Ingress ingress = pipeline.startIngress(bootstrap, 0, MODEL, true, security);

      HttpResponse<String> answer = ingress.post(MODEL, GoldenMessages.fp32Request());
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(answer.body()).contains("golden-fp32-1");

      for (String config : List.of(ingress.get("/config").body(), get(worker, "/config"))) {
        assertThat(config)
            .contains("\"sasl.jaas.config\":\"" + SecretMasking.MASK + "\"")
            .doesNotContain(kafka.password())
            .doesNotContain(kafka.truststorePassword());
      }
    }
  }

  @Test
  void aWrongPasswordIsAnAuthenticationFailureNotAHang(CapturedOutput output) throws Exception {
    String wrong = "wrong" + UUID.randomUUID().toString().replace("-", "");
    String bootstrap = kafka.bootstrapServers(Listener.SASL_PLAINTEXT);
    String[] security = scramArgs("SCRAM-SHA-512", wrong);
    try (LocalPipeline pipeline = new LocalPipeline(kafka.newTopics(1, 1, MODEL))) {
      ConfigurableApplicationContext worker =
          pipeline.startRefusedWorkerOn(bootstrap, MODEL, "simulated", security);
      LocalPipeline.Ingress ingress = pipeline.startIngress(bootstrap, 0, MODEL, false, security);

      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(output.getAll())
                      .contains("Kafka refused this worker on ")
                      .contains("Kafka refused this ingress on ")
                      .contains("Kafka is unreachable: answering 503 until it is back (org.apache")
                      .contains("SaslAuthenticationException"));
      assertThat(ingress.get("/v2/health/ready").statusCode()).isEqualTo(503);
      assertThat(status(worker, "/v2/health/ready")).isEqualTo(503);
      HttpResponse<String> refused = ingress.post(MODEL, GoldenMessages.fp32Request());
      assertThat(refused.statusCode()).isEqualTo(503);
    }
    assertThat(output.getAll()).doesNotContain(wrong).doesNotContain(kafka.password());
  }

  /**
   * A credential changed on the broker while the pipeline runs (rotated, or revoked by mistake):
   * both services say so in readiness and keep retrying; once the credential is right again they
   * serve, without a restart.
   */
  @Test
  void aCredentialPutRightAgainIsEnoughToServeAgain(CapturedOutput output) throws Exception {
    String user = "rotating-" + UUID.randomUUID().toString().substring(0, 8);
    String password = "p" + UUID.randomUUID().toString().replace("-", "");
    String bootstrap = kafka.bootstrapServers(Listener.SASL_PLAINTEXT);
    String[] security = {
      "--spring.kafka.security.protocol=SASL_PLAINTEXT",
      "--spring.kafka.properties.sasl.mechanism=SCRAM-SHA-512",
      "--spring.kafka.properties.sasl.jaas.config="
          + SecureTestKafka.scramJaasConfig(user, password)
    };
    try (Admin admin = Admin.create(kafka.clientConfig(Listener.SASL_PLAINTEXT, "SCRAM-SHA-512"));
        LocalPipeline pipeline = new LocalPipeline(kafka.newTopics(1, 1, MODEL))) {
      setPassword(admin, user, password);
      ConfigurableApplicationContext worker =
          pipeline.startWorkerOn(bootstrap, MODEL, "simulated", security);
      LocalPipeline.Ingress ingress = pipeline.startIngress(bootstrap, 0, MODEL, true, security);
      HttpResponse<String> first = ingress.post(MODEL, GoldenMessages.fp32Request());
      assertThat(first.statusCode()).as(first.body()).isEqualTo(200);

      setPassword(admin, user, "changed" + password);

      await("both notice the refused credential")
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  ingress.get("/v2/health/ready").statusCode() == 503
                      && ingress.get("/metrics").body().contains("kafka_reachable 0.0")
                      && status(worker, "/v2/health/ready") == 503);
      assertThat(get(worker, "/v2/health/ready")).contains("kafka_refused");
      assertThat(get(worker, "/metrics"))
          .contains("inference_worker_kafka_refused{model=\"sim\"} 1");
      assertThat(ingress.post(MODEL, GoldenMessages.fp32Request()).statusCode()).isEqualTo(503);

      setPassword(admin, user, password);

      await("both serve again, with no restart")
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () -> {
                assertThat(ingress.get("/v2/health/ready").body()).contains("\"ready\":true");
                assertThat(get(worker, "/v2/health/ready")).contains("\"ready\":true");
                assertThat(ingress.get("/v2/models/" + MODEL + "/ready").statusCode())
                    .isEqualTo(200);
              });
      HttpResponse<String> served = ingress.post(MODEL, GoldenMessages.fp32Request());
      assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
      assertThat(output.getAll()).doesNotContain(password);
    }
  }

  private static void setPassword(Admin admin, String user, String password) throws Exception {
    admin
        .alterUserScramCredentials(
            List.of(
                new UserScramCredentialUpsertion(
                    user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password)))
        .all()
        .get(30, java.util.concurrent.TimeUnit.SECONDS);
  }

  /** On Kubernetes a Secret becomes environment variables; they bind as program arguments do. */
  @Test
  void environmentVariablesFromASecretReachEveryKafkaClient() {
    String jaas = SecureTestKafka.scramJaasConfig("app", "from-a-secret");
    StandardEnvironment environment = new StandardEnvironment();
    environment
        .getPropertySources()
        .addFirst(
            new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                Map.of(
                    "SPRING_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                    "SPRING_KAFKA_PROPERTIES_SASL_MECHANISM", "SCRAM-SHA-512",
                    "SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", jaas)));
    KafkaProperties properties =
        new Binder(ConfigurationPropertySources.get(environment))
            .bind("spring.kafka", KafkaProperties.class)
            .get();

    for (Map<String, Object> client :
        List.of(
            properties.buildProducerProperties(),
            properties.buildConsumerProperties(),
            properties.buildAdminProperties())) {
      assertThat(client)
          .containsEntry("security.protocol", "SASL_SSL")
          .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
          .containsEntry("sasl.jaas.config", jaas);
    }
  }

  private static String get(ConfigurableApplicationContext app, String path) throws Exception {
    return send(app, path).body();
  }

  private static int status(ConfigurableApplicationContext app, String path) throws Exception {
    return send(app, path).statusCode();
  }

  private static HttpResponse<String> send(ConfigurableApplicationContext app, String path)
      throws Exception {
    int port = ((WebServerApplicationContext) app).getWebServer().getPort();
    return LocalPipeline.HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
