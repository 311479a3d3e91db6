package dev.inferpipe.localrun;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** The autoscaler of a detached run, in a JVM of its own; {@code up --detach} starts it. */
@Command(name = "supervise", hidden = true)
final class SuperviseCommand implements Callable<Integer> {
  @ParentCommand PipelineCommand parent;

  @Option(names = "--model", required = true)
  String model;

  @Option(names = "--request-partitions", required = true)
  int requestPartitions;

  @Option(names = "--kafka-port", required = true)
  int kafkaPort;

  @Option(names = "--worker-port", required = true)
  int workerPort;

  @Option(names = "--topic-prefix", required = true)
  String topicPrefix;

  @Option(names = "--worker-setting")
  List<String> workerSettings = new ArrayList<>();

  @CommandLine.Mixin PipelineCommand.AutoscaleOptions autoscale;

  @Override
  public Integer call() throws Exception {
    PipelineSettings settings =
        PipelineSettings.builder(parent.root, LocalModel.named(model))
            .ports(kafkaPort, 0, workerPort, 0)
            .topics(topicPrefix, requestPartitions, 1)
            .autoscale(autoscale.settings(parent).orElseThrow())
            .build();
    ServiceLauncher launcher =
        ServiceLauncher.forLocalRun(settings, ClassDataArchives.of(settings));
    CountDownLatch done = new CountDownLatch(1);
    AutoscaledWorkers workers =
        PipelineAutoscaler.inProcess(
            settings, requestPartitions, launcher, workerSettings, parent.out);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  workers.close();
                  done.countDown();
                },
                "autoscaler-stop"));
    done.await();
    return 0;
  }
}
