package dev.inferpipe.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferpipe.localrun.FreePorts;
import dev.inferpipe.localrun.LocalModel;
import dev.inferpipe.localrun.LocalPipeline;
import dev.inferpipe.localrun.PidFile;
import dev.inferpipe.localrun.PipelineSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pipeline as {@code ./pipeline up --model simulated} starts it, through local-run's Java API,
 * on free ports with its state under target/: once {@link LocalPipeline#start} returns, a request
 * is answered at once, and closing it stops every process it started, each of which writes its
 * class-data archive as it stops.
 */
class LocalPipelineIT {
  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void aStartedPipelineAnswersAndAClosedOneLeavesNothingRunning() throws Exception {
    Path state = FaultSettings.scenarioDir("local-pipeline");
    PipelineSettings settings =
        PipelineSettings.builder(ROOT, LocalModel.SIMULATED)
            .state(state)
            .ports(FreePorts.next(), FreePorts.next(), FreePorts.next(), FreePorts.next())
            .build();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    List<ProcessHandle> started;
    HttpResponse<String> response;
    try (LocalPipeline pipeline =
        LocalPipeline.start(
            settings, false, new PrintStream(printed, true, StandardCharsets.UTF_8))) {
      started =
          PidFile.all(settings.runDir()).stream()
              .map(file -> file.process().orElseThrow())
              .toList();

      response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          pipeline.ingressUri().resolve("/v2/models/simulated/infer"))
                      .timeout(Duration.ofSeconds(5))
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"id\":\"hello\",\"inputs\":[{\"name\":\"input\",\"shape\":[1,2],"
                                  + "\"datatype\":\"FP32\",\"data\":[3,4]}]}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
    }

    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("starting Kafka (KRaft)", "starting the worker (model 'simulated')");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).contains("\"id\":\"hello\"", "[3.0,4.0]");
    assertThat(started).hasSize(3); // kafka, worker, ingress
    assertThat(started).noneMatch(ProcessHandle::isAlive);
    assertThat(PidFile.all(settings.runDir())).isEmpty();
    // each JVM, started without its class-data archive, wrote it as it stopped
    String archive = Runtime.version().feature() >= 25 ? "aot" : "jsa";
    assertThat(state.resolve("app/kafka/kafka." + archive)).isNotEmptyFile();
    assertThat(state.resolve("app/inference-worker-0.1.0-SNAPSHOT-exec/app." + archive))
        .isNotEmptyFile();
    assertThat(state.resolve("app/ingress-api-0.1.0-SNAPSHOT-exec/app." + archive))
        .isNotEmptyFile();
  }
}
