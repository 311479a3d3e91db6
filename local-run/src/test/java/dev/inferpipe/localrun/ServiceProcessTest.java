package dev.inferpipe.localrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one process supervisor, with real processes (a shell). */
class ServiceProcessTest {
  @TempDir Path dir;

  /** A process that says when it got SIGTERM and then exits, as a service shuts down. */
  private static List<String> politeService() {
    return List.of(
        "/bin/sh",
        "-c",
        "trap 'echo terminated; exit 0' TERM; echo up; while :; do sleep 0.1; done");
  }

  /** Waits until the service has set its SIGTERM handler and said so. */
  private static ServiceProcess up(ServiceProcess process) {
    await(process.name() + " up").until(() -> Files.readAllLines(process.log()).contains("up"));
    return process;
  }

  @Test
  void stopSendsSigtermAndWaitsForTheShutdown() throws Exception {
    ServiceProcess process = up(new ServiceProcess("svc", politeService(), dir).start());
    assertThat(process.isAlive()).isTrue();

    process.stop(Duration.ofSeconds(30));

    assertThat(process.isAlive()).isFalse();
    assertThat(process.exitValue()).isZero();
    assertThat(Files.readAllLines(process.log())).contains("up", "terminated");
  }

  @Test
  void killGivesNoChanceToFinish() throws Exception {
    ServiceProcess process = new ServiceProcess("svc", politeService(), dir).start();

    process.kill();

    assertThat(process.isAlive()).isFalse();
    assertThat(Files.readAllLines(process.log())).doesNotContain("terminated");
  }

  @Test
  void aStoppedProcessStartsAgainWithTheSameCommandAndLog() throws Exception {
    ServiceProcess process = new ServiceProcess("svc", politeService(), dir).start();
    long first = process.pid();
    process.stop();

    process.start();

    assertThat(process.pid()).isNotEqualTo(first);
    assertThat(Files.readString(process.log())).containsSubsequence("---- start", "---- start");
    assertThatThrownBy(process::start).hasMessageContaining("already runs");
    process.close();
  }

  @Test
  void aDetachedProcessIsFoundAndStoppedFromItsPidFile() throws Exception {
    Path run = dir.resolve("run");
    ServiceProcess process =
        up(new ServiceProcess("svc", politeService(), dir).detached(run).start());

    PidFile file = new PidFile(run, "svc");
    assertThat(file.process())
        .hasValueSatisfying(p -> assertThat(p.pid()).isEqualTo(process.pid()));
    assertThat(PidFile.all(run)).extracting(PidFile::name).containsExactly("svc");

    assertThat(file.stop(Duration.ofSeconds(30))).contains(process.pid());
    assertThat(process.onExit().get().exitValue()).isZero();
    assertThat(PidFile.all(run)).isEmpty();
    assertThat(Files.readAllLines(process.log())).contains("terminated");
  }

  @Test
  void aPidFileOfAnotherProcessIsNotTakenForIt() throws Exception {
    Path run = Files.createDirectories(dir.resolve("run"));
    // this JVM's pid, but a start time that is not this JVM's: the pid was reused
    Files.writeString(run.resolve("svc.pid"), ProcessHandle.current().pid() + " 12345\n");

    assertThat(new PidFile(run, "svc").process()).isEmpty();
    assertThat(new PidFile(run, "svc").stop(Duration.ofSeconds(1))).isEmpty();
  }

  @Test
  void sigintIsLeftToTheLauncher() throws Exception {
    ServiceProcess process = up(new ServiceProcess("svc", politeService(), dir).start());

    new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
    // a pending SIGINT is delivered before a later SIGTERM: had it ended the process, the
    // SIGTERM handler would never run
    process.stop();

    assertThat(process.exitValue()).isZero();
    assertThat(Files.readAllLines(process.log())).contains("terminated");
  }

  @Test
  void waitForReportsAToolsExitStatus() throws Exception {
    ServiceProcess ok = new ServiceProcess("ok", List.of("/bin/sh", "-c", "exit 0"), dir).start();
    ServiceProcess failing =
        new ServiceProcess("failing", List.of("/bin/sh", "-c", "echo broken; exit 3"), dir).start();

    assertThat(ok.waitFor(Duration.ofSeconds(30))).isTrue();
    assertThat(failing.waitFor(Duration.ofSeconds(30))).isFalse();
    assertThat(failing.logTail()).contains("broken");
  }
}
