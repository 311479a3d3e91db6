package dev.inferpipe.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Where a Docker engine answers (skipped elsewhere), builds the ingress image and the CPU worker
 * image from the repository and starts each far enough to answer {@code /v2/health/live}; no broker
 * is needed for that.
 */
class ImagesBuildTest {
  @ParameterizedTest
  @CsvSource({
    "ingress.Dockerfile, '', inferpipe/ingress-api:image-test, 8080, ''",
    "worker.Dockerfile, FLAVOR=cpu, inferpipe/inference-worker-cpu:image-test, 8081,"
        + " --worker.model.kind=simulated"
  })
  void theImageBuildsAndAnswersItsHealthCheck(
      String dockerfile, String buildArg, String tag, int port, String extraArg) throws Exception {
    assumeTrue(dockerEngineAnswers(), "no Docker engine: the image build is skipped");
    List<String> build = new ArrayList<>(List.of("docker", "build", "-q", "-t", tag));
    if (!buildArg.isEmpty()) {
      build.addAll(List.of("--build-arg", buildArg));
    }
    build.addAll(List.of("-f", "k8s/images/" + dockerfile, "."));
    assertThat(run(build, 3600)).as("docker build " + dockerfile).isZero();

    List<String> start =
        new ArrayList<>(
            List.of(
                "docker",
                "run",
                "-d",
                "--rm",
                "-p",
                "127.0.0.1::" + port,
                tag,
                "--spring.kafka.bootstrap-servers=127.0.0.1:1"));
    if (!extraArg.isEmpty()) {
      start.add(extraArg);
    }
    String container = output(start).strip();
    try {
      String published = output(List.of("docker", "port", container, String.valueOf(port)));
      String address = published.lines().findFirst().orElseThrow().strip();
      HttpClient http = HttpClient.newHttpClient();
      URI live = URI.create("http://" + address + "/v2/health/live");
      await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofSeconds(2))
          .ignoreExceptions()
          .until(
              () ->
                  http.send(
                              HttpRequest.newBuilder(live).build(),
                              HttpResponse.BodyHandlers.ofString())
                          .statusCode()
                      == 200);
    } finally {
      run(List.of("docker", "rm", "-f", container), 60);
    }
  }

  private static boolean dockerEngineAnswers() {
    try {
      return RenderedOverlaysTest.onPath("docker") && run(List.of("docker", "info"), 30) == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static int run(List<String> command, long timeoutSeconds)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command)
            .directory(Repository.root().toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    return process.exitValue();
  }

  private static String output(List<String> command) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command)
            .directory(Repository.root().toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command)).isZero();
    return output;
  }
}
