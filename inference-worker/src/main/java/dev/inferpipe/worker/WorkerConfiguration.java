package dev.inferpipe.worker;

import dev.inferpipe.contracts.TopicNames;
import dev.inferpipe.worker.batch.BatchProcessor;
import dev.inferpipe.worker.batch.BatchTuning;
import dev.inferpipe.worker.kafka.ModelAnnouncer;
import dev.inferpipe.worker.kafka.WorkerPool;
import dev.inferpipe.worker.model.ModelRunner;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the model, the batch processor, the worker pool (fetcher and executors) and the model's
 * announcer from the settings.
 */
@Configuration(proxyBeanMethods = false)
class WorkerConfiguration {
  private static final Logger log = LoggerFactory.getLogger(WorkerConfiguration.class);

  @Bean(destroyMethod = "close")
  ModelRunner modelRunner(WorkerProperties properties) throws Exception {
    long start = System.nanoTime();
    ModelRunner runner = ModelRunnerFactory.create(properties.model());
    log.info(
        "model '{}' ({}) loaded in {} ms",
        runner.metadata().name(),
        runner.metadata().platform(),
        (System.nanoTime() - start) / 1_000_000);
    return runner;
  }

  @Bean
  WorkerMetrics workerMetrics(
      MeterRegistry registry, WorkerProperties properties, ModelRunner runner) {
    return new WorkerMetrics(
        registry, runner.metadata().name(), properties.batchSize(), Clock.systemUTC());
  }

  @Bean
  WorkerPool workerPool(
      WorkerProperties properties,
      KafkaProperties kafka,
      ModelRunner runner,
      WorkerMetrics metrics) {
    WorkerPool.Settings settings =
        new WorkerPool.Settings(
            new TopicNames(properties.topicPrefix()),
            runner.metadata().name(),
            properties.batchPolicy(),
            properties.instances(),
            properties.effectiveQueueCapacity(),
            properties.replyTimeout(),
            kafka.buildConsumerProperties(),
            kafka.buildProducerProperties());
    BatchTuning tuning = properties.batchTuning(Clock.systemUTC());
    metrics.watch(tuning);
    return new WorkerPool(
        settings, tuning, new BatchProcessor(runner, Clock.systemUTC(), metrics), metrics);
  }

  /**
   * Depends on the pool, so it starts after the pool and stops before it: the instance record is
   * withdrawn before the worker stops fetching.
   */
  @Bean
  ModelAnnouncer modelAnnouncer(
      WorkerProperties properties, KafkaProperties kafka, ModelRunner runner, WorkerPool pool) {
    return new ModelAnnouncer(
        new ModelAnnouncer.Settings(
            new TopicNames(properties.topicPrefix()).models(),
            properties.effectiveInstanceId(),
            properties.batchSize(),
            properties.scalesFromZero(),
            properties.announceInterval(),
            kafka.buildProducerProperties()),
        runner.metadata(),
        pool::isServing,
        Clock.systemUTC());
  }
}
