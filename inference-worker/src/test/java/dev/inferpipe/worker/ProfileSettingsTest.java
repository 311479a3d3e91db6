package dev.inferpipe.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferpipe.contracts.TopicNames;
import dev.inferpipe.localrun.TestKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A worker started with a profile's rendered settings (the file {@code ./pipeline up --profile} and
 * the pods' ConfigMap both use) runs with the profile's batch size: {@code /config} shows it as the
 * consumer's {@code max.poll.records}.
 */
class ProfileSettingsTest {
  @Test
  void theDevelopmentProfilesBatchSizeIsTheConsumersMaxPollRecords() throws Exception {
    Path settings = Path.of("../k8s/overlays/development/worker.properties").toAbsolutePath();
    assertThat(Files.readString(settings)).contains("worker.batch-size=8");
    TopicNames topics = TestKafka.newTopics(1, 1, "profiled");
    ConfigurableApplicationContext worker =
        TestWorkers.start(
            topics,
            "profiled",
            "simulated",
            "--spring.config.additional-location=file:" + settings);
    try {
      int port = ((WebServerApplicationContext) worker).getWebServer().getPort();
      String config =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/config"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();

      assertThat(config).contains("\"max.poll.records\":\"8\"").contains("\"batchSize\":8");
    } finally {
      worker.close();
    }
  }
}
