package dev.inferpipe.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every rendered overlay, and the kafka-sasl component's objects, against the upstream schemas that
 * the npm packages kubernetes-models, @kubernetes-models/keda and
 * {@literal @}kubernetes-models/prometheus-operator carry (src/test/node; {@code .ci/run} installs
 * them). Skipped where Node or the packages are absent, or kubectl is.
 */
class UpstreamSchemaTest {
  private static final Path NODE_FOLDER = Repository.root().resolve("profiles/src/test/node");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir Path temp;

  @ParameterizedTest
  @ValueSource(
      strings = {"development", "production", "high-throughput", "cost-optimized", "low-latency"})
  void everyRenderedManifestMatchesItsUpstreamSchema(String name) throws Exception {
    assumeNodeValidation();
    List<JsonNode> manifests = RenderedOverlaysTest.render(name);

    assertThat(validate(manifests)).isEmpty();
  }

  @Test
  void theSaslComponentsObjectsMatchTheirUpstreamSchemas() throws Exception {
    assumeNodeValidation();
    Path k8s = Repository.copyOfK8s(temp);
    Path base = k8s.resolve("base/kustomization.yaml");
    Files.writeString(
        base,
        Files.readString(base)
            .replace(
                "# components:\n#   - ../components/kafka-sasl\n",
                "components:\n  - ../components/kafka-sasl\n"));
    List<JsonNode> manifests = RenderedOverlaysTest.render(k8s, "development");
    assertThat(manifests).anyMatch(m -> m.path("kind").asString().equals("TriggerAuthentication"));

    assertThat(validate(manifests)).isEmpty();
  }

  @Test
  void wrongTypesAndUnknownKindsAreRefused() throws Exception {
    assumeNodeValidation();
    List<JsonNode> broken =
        ManifestValidator.documents(
            """
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata:
              name: lag-as-number
            spec:
              scaleTargetRef:
                name: x
              triggers:
                - type: kafka
                  metadata:
                    lagThreshold: 64
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: replicas-as-text
            spec:
              replicas: two
              selector: {}
              template:
                spec:
                  containers:
                    - name: c
                      image: i
            ---
            apiVersion: example.com/v1
            kind: Unknown
            metadata:
              name: nobody-knows
            """);

    assertThat(validate(broken))
        .hasSize(3)
        .anyMatch(line -> line.startsWith("keda.sh/v1alpha1/ScaledObject lag-as-number:"))
        .anyMatch(line -> line.startsWith("apps/v1/Deployment replicas-as-text:"))
        .anyMatch(line -> line.contains("nobody-knows: no upstream schema for this kind"));
  }

  /** The problems the Node validator prints, one per line. */
  private List<String> validate(List<JsonNode> manifests) throws IOException, InterruptedException {
    Path input = Files.createTempFile(temp, "manifests", ".json");
    Files.writeString(input, JSON.writeValueAsString(manifests));
    Process process =
        new ProcessBuilder("node", "validate-manifests.mjs", input.toString())
            .directory(NODE_FOLDER.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    List<String> problems = output.lines().toList();
    assertThat(process.exitValue()).as(output).isEqualTo(problems.isEmpty() ? 0 : 1);
    return problems;
  }

  private static void assumeNodeValidation() {
    assumeTrue(
        RenderedOverlaysTest.onPath("node"), "Node is not installed: upstream schemas skipped");
    assumeTrue(
        Files.isDirectory(NODE_FOLDER.resolve("node_modules/kubernetes-models")),
        "the npm packages are not installed (npm ci --prefix profiles/src/test/node): skipped");
  }
}
