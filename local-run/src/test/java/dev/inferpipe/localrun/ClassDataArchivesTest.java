package dev.inferpipe.localrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Class-data archives, written by a real JVM as it stops and read by the next. */
class ClassDataArchivesTest {
  @TempDir Path dir;

  private final boolean aot = Runtime.version().feature() >= 25;

  @Test
  void aJvmWithoutItsArchiveWritesItAsItEndsAndTheNextStartsFromIt() throws Exception {
    ClassDataArchives archives = new ClassDataArchives(dir.resolve("app"), dir);
    String classpath = LocalBroker.classpath();

    List<String> writing = archives.forClasspath(classpath, "kafka", true);
    assertThat(ClassDataArchives.writesArchive(writing)).isTrue();
    ServiceProcess first = kafkaVersion(writing, classpath);
    assertThat(first.waitFor(Duration.ofSeconds(120))).as(first.logTail()).isTrue();
    ClassDataArchives.settle(first.command(), true);

    List<String> reading = archives.forClasspath(classpath, "kafka", true);
    Path archive = dir.resolve("app/kafka/kafka." + (aot ? "aot" : "jsa"));
    assertThat(reading)
        .containsExactly((aot ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + archive);
    assertThat(archive).isNotEmptyFile();
    // a JVM made to use the archive fails if it cannot
    List<String> strict = new ArrayList<>(reading);
    strict.add(aot ? "-XX:AOTMode=on" : "-Xshare:on");
    ServiceProcess second = kafkaVersion(strict, classpath);
    assertThat(second.waitFor(Duration.ofSeconds(120))).as(second.logTail()).isTrue();
  }

  @Test
  void anArchiveOfAJvmThatWasKilledIsDropped() throws Exception {
    Path unsettled = Files.writeString(dir.resolve("app.jsa.new"), "half");
    List<String> command = List.of("java", "-XX:ArchiveClassesAtExit=" + unsettled, "-jar", "x");

    ClassDataArchives.settle(command, false);

    assertThat(unsettled).doesNotExist();
    assertThat(dir.resolve("app.jsa")).doesNotExist();
  }

  @Test
  void aProcessStoppedFromItsPidFileKeepsTheArchiveItWrote() throws Exception {
    Path written = Files.writeString(dir.resolve("app.jsa.new"), "archive");
    List<String> command =
        List.of(
            "/bin/sh",
            "-c",
            "trap 'exit 0' TERM; echo up; while :; do sleep 0.1; done",
            "sh",
            "-XX:ArchiveClassesAtExit=" + written);
    ServiceProcess process =
        new ServiceProcess("svc", command, dir).detached(dir.resolve("run")).start();
    await().until(() -> Files.readAllLines(process.log()).contains("up"));
    PidFile pidFile = new PidFile(dir.resolve("run"), "svc");
    assertThat(pidFile.writesArchive()).isTrue();

    pidFile.stop(Duration.ofSeconds(30));

    assertThat(dir.resolve("app.jsa")).hasContent("archive");
    assertThat(written).doesNotExist();
  }

  @Test
  void anotherClasspathStartsWithoutTheArchiveAndWritesItsOwn() throws Exception {
    ClassDataArchives archives = new ClassDataArchives(dir.resolve("app"), dir);
    archives.forClasspath("a.jar", "kafka", true);
    Files.writeString(dir.resolve("app/kafka/kafka." + (aot ? "aot" : "jsa")), "archive");

    List<String> options = archives.forClasspath("b.jar", "kafka", false);

    assertThat(options).isEmpty();
    assertThat(dir.resolve("app/kafka/kafka.jsa")).doesNotExist();
  }

  @Test
  void aJarThatCannotBeExtractedRunsAsItIs() throws Exception {
    Path jar = Files.writeString(dir.resolve("plain.jar"), "not a Spring Boot jar");

    List<String> options = new ClassDataArchives(dir.resolve("app"), dir).forJar(jar, true);

    assertThat(options).containsExactly("-jar", jar.toString());
  }

  private ServiceProcess kafkaVersion(List<String> options, String classpath) throws Exception {
    List<String> command = new ArrayList<>(List.of(ServiceProcess.javaBin()));
    command.addAll(options);
    command.addAll(List.of("-cp", classpath, "kafka.Kafka", "--version"));
    return new ServiceProcess("kafka-version", command, dir).start();
  }
}
