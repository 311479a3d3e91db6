package dev.inferpipe.localrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The autoscaler's processes: replicas take the lowest free slot, stop newest first with SIGTERM,
 * keep their slot while stopping, and are forgotten when they exit by themselves.
 */
class WorkerReplicasTest {
  @TempDir Path dir;

  /**
   * Prints its arguments (the port), then runs until SIGTERM, which it takes a moment to finish.
   */
  private static final List<String> WORKER =
      List.of(
          "/bin/sh",
          "-c",
          "echo \"$@\"; trap 'sleep 0.5; exit 0' TERM; while :; do sleep 0.1; done",
          "worker");

  @Test
  void replicasGetTheLowestFreeSlotAndTheirPort() throws Exception {
    Path run = dir.resolve("run");
    WorkerReplicas replicas = WorkerReplicas.of(WORKER, 9000, dir, run);
    try {
      replicas.scaleTo(3);

      assertThat(replicas.running()).isEqualTo(3);
      assertThat(PidFile.all(run))
          .extracting(PidFile::name)
          .containsExactly("worker-0", "worker-1", "worker-2");
      await("replica 2's log")
          .until(
              () -> Files.readString(dir.resolve("worker-2.log")).contains("--server.port=9002"));
    } finally {
      replicas.close(Duration.ofSeconds(30));
    }
    assertThat(replicas.running()).isZero();
    assertThat(replicas.stopping()).isZero();
    assertThat(PidFile.all(run)).isEmpty();
  }

  @Test
  void theNewestStopsFirstAndKeepsItsSlotUntilItHasExited() throws Exception {
    WorkerReplicas replicas = WorkerReplicas.of(WORKER, 0, dir, null);
    try {
      replicas.scaleTo(2);
      replicas.scaleTo(1);

      assertThat(replicas.running()).isEqualTo(1);
      assertThat(replicas.runningProcesses())
          .extracting(ServiceProcess::name)
          .containsExactly("worker-0");
      replicas.scaleTo(2); // replica 1 may still be finishing: the new one must not take its slot
      assertThat(replicas.runningProcesses())
          .extracting(ServiceProcess::name)
          .containsAnyOf("worker-1", "worker-2")
          .hasSize(2);
      await("replica 1 stopped").until(() -> replicas.stopping() == 0);
    } finally {
      replicas.close(Duration.ofSeconds(30));
    }
  }

  @Test
  void aReplicaThatExitsByItselfIsForgotten() throws Exception {
    WorkerReplicas replicas = WorkerReplicas.of(List.of("/bin/sh", "-c", "exit 1"), 0, dir, null);
    replicas.scaleTo(1);

    await("the replica gone").atMost(Duration.ofSeconds(30)).until(() -> replicas.running() == 0);

    assertThat(replicas.stopping()).isZero();
    replicas.close();
  }
}
