package dev.inferpipe.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The images' rules, read from the Dockerfiles without a Docker engine: a build context without
 * .git, build output or local Kafka data; Spring Boot's layers copied one by one, dependencies
 * first; base images that can be pinned by digest; a non-root user and a health check; one CUDA
 * (libtorch's) in the GPU image and none in the CPU one, which the GPU-less overlay uses.
 */
class DockerfilesTest {
  private static final Path IMAGES = Repository.root().resolve("k8s/images");
  private static final List<String> LAYERS =
      List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application");

  @Test
  void theBuildContextLeavesOutGitBuildOutputAndKafkaData() throws IOException {
    List<String> ignored =
        Files.readString(Repository.root().resolve(".dockerignore"))
            .lines()
            .map(String::strip)
            .filter(line -> !line.isEmpty() && !line.startsWith("#"))
            .toList();

    assertThat(ignored).contains(".git", "**/target", ".pipeline", "**/node_modules");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ingress.Dockerfile", "worker.Dockerfile"})
  void theImageIsLayeredPinnableAndUnprivileged(String file) throws IOException {
    List<Instruction> instructions = instructions(IMAGES.resolve(file));
    List<Instruction> finalStage = finalStage(instructions);

    List<String> baseArgs =
        instructions.stream()
            .filter(i -> i.keyword().equals("FROM"))
            .map(Instruction::arguments)
            .filter(from -> !from.startsWith("base-"))
            .toList();
    assertThat(baseArgs)
        .as("every external base image comes from a build argument, so it can be pinned")
        .allMatch(from -> from.startsWith("${JDK_IMAGE}") || from.startsWith("${JRE_IMAGE}"));
    assertThat(
            instructions.stream()
                .filter(i -> i.keyword().equals("ARG"))
                .map(Instruction::arguments))
        .anyMatch(arg -> arg.startsWith("JDK_IMAGE="))
        .anyMatch(arg -> arg.startsWith("JRE_IMAGE="));

    assertThat(instructions)
        .as("the build stage extracts the layers with Spring Boot's jarmode tools")
        .anyMatch(
            i ->
                i.keyword().equals("RUN")
                    && i.arguments().contains("-Djarmode=tools")
                    && i.arguments().contains("extract --layers --launcher --destination /layers"));
    List<String> copied =
        finalStage.stream()
            .filter(i -> i.keyword().equals("COPY") && i.arguments().contains("/layers/"))
            .map(i -> i.arguments().replaceAll(".*/layers/([a-z-]+)/ .*", "$1"))
            .toList();
    assertThat(copied).as("one COPY per layer, the least changing first").isEqualTo(LAYERS);
    assertThat(last(finalStage, "ENTRYPOINT").arguments())
        .contains("org.springframework.boot.loader.launch.JarLauncher");
    assertThat(last(instructions, "USER").arguments()).isEqualTo("10001:10001");
    assertThat(last(instructions, "HEALTHCHECK").arguments()).contains("/v2/health/live");
  }

  @Test
  void cudaShipsOnceInTheGpuImageAndNotAtAllInTheCpuImage() throws IOException {
    List<Instruction> worker = instructions(IMAGES.resolve("worker.Dockerfile"));
    Map<String, List<Instruction>> stages = stages(worker);

    assertThat(worker.stream().filter(i -> i.keyword().equals("ARG")).map(Instruction::arguments))
        .as("no base image brings its own CUDA")
        .filteredOn(arg -> arg.startsWith("JDK_IMAGE=") || arg.startsWith("JRE_IMAGE="))
        .hasSize(2)
        .noneMatch(image -> image.contains("cuda") || image.contains("nvidia"));
    assertThat(stages.get("base-cuda"))
        .anyMatch(i -> i.keyword().equals("COPY") && i.arguments().contains("/opt/libtorch/lib"));
    assertThat(stages.get("base-cpu"))
        .noneMatch(i -> i.arguments().contains("libtorch") || i.arguments().contains("CUDA"));
    assertThat(stages.get("build"))
        .as("only the CUDA flavour leaves the CPU libtorch out of the jar")
        .anyMatch(i -> i.arguments().contains("$([ \"$FLAVOR\" = cuda ] && echo -Pcuda)"));
    assertThat(worker.stream().filter(i -> i.keyword().equals("ARG")).map(Instruction::arguments))
        .contains("FLAVOR=cuda");
  }

  @Test
  void theOverlayWithoutGpusRunsTheCpuWorkerImage() {
    ProfileCatalog catalog = Repository.layout().catalog();
    for (String name : catalog.names()) {
      PerformanceProfile profile = catalog.load(name);
      String kustomization = OverlayRenderer.render(profile).get("kustomization.yaml");
      if (profile.resources().worker().gpu() == 0) {
        assertThat(kustomization).as(name).contains(OverlayRenderer.CPU_WORKER_IMAGE);
      } else {
        assertThat(kustomization).as(name).doesNotContain("inference-worker-cpu");
      }
    }
    assertThat(catalog.load("development").resources().worker().gpu()).isZero();
  }

  /** One Dockerfile instruction: its keyword and its arguments, continuation lines joined. */
  record Instruction(String keyword, String arguments) {}

  static List<Instruction> instructions(Path dockerfile) throws IOException {
    List<Instruction> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : Files.readAllLines(dockerfile)) {
      String stripped = line.strip();
      if (stripped.startsWith("#") || (stripped.isEmpty() && current.isEmpty())) {
        continue;
      }
      if (stripped.endsWith("\\")) {
        current.append(stripped, 0, stripped.length() - 1).append(' ');
        continue;
      }
      current.append(stripped);
      String text = current.toString().strip();
      current.setLength(0);
      int space = text.indexOf(' ');
      instructions.add(
          new Instruction(
              text.substring(0, space).toUpperCase(java.util.Locale.ROOT),
              text.substring(space + 1).strip().replaceAll("\\s+", " ")));
    }
    return instructions;
  }

  /** Instructions by stage name ({@code FROM ... AS name}); the unnamed last stage is "final". */
  private static Map<String, List<Instruction>> stages(List<Instruction> instructions) {
    Map<String, List<Instruction>> stages = new java.util.LinkedHashMap<>();
    List<Instruction> stage = null;
    for (Instruction instruction : instructions) {
      if (instruction.keyword().equals("FROM")) {
        String[] words = instruction.arguments().split(" ");
        stage = new ArrayList<>();
        stages.put(words.length == 3 ? words[2] : "final", stage);
      }
      if (stage != null) {
        stage.add(instruction);
      }
    }
    return stages;
  }

  private static List<Instruction> finalStage(List<Instruction> instructions) {
    List<List<Instruction>> all = List.copyOf(stages(instructions).values());
    return all.get(all.size() - 1);
  }

  private static Instruction last(List<Instruction> instructions, String keyword) {
    return instructions.stream()
        .filter(i -> i.keyword().equals(keyword))
        .reduce((first, second) -> second)
        .orElseThrow(() -> new AssertionError("no " + keyword));
  }
}
