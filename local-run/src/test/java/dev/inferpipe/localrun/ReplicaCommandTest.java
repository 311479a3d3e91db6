package dev.inferpipe.localrun;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicaCommandTest {
  private static final List<String> WORKER = List.of("java", "-jar", "worker.jar");

  @Test
  void workersThatMayScaleToZeroAreToldSoTheIngressQueuesTheirRequests() {
    assertThat(PipelineAutoscaler.replicaCommand(WORKER, 0))
        .containsExactly("java", "-jar", "worker.jar", "--worker.scales-from-zero=true");
    assertThat(PipelineAutoscaler.replicaCommand(WORKER, 1)).isEqualTo(WORKER);
  }
}
