package dev.inferpipe.localrun;

import dev.inferpipe.contracts.TopicNames;
import dev.inferpipe.profiles.LocalRunRenderer;
import dev.inferpipe.profiles.PerformanceProfile;
import dev.inferpipe.profiles.ProfileLayout;
import dev.inferpipe.profiles.RenderedFolder;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;

/**
 * The whole pipeline on this machine, as {@code ./pipeline up} runs it: the broker, one worker (or
 * worker processes an in-process autoscaler scales), one ingress, each its own process with its pid
 * in {@code .pipeline/run} and its log in {@code .pipeline/logs}.
 *
 * <p>{@link #start} returns once the pipeline can serve: the ingress says it is ready, the workers'
 * consumers hold every request partition, and a probe request has made the round trip through the
 * ingress. A start that cannot get there within {@link #READY_LIMIT} fails and says why, e.g. that
 * the worker group still has members of an earlier run.
 *
 * <p>The processes outlive this JVM unless it closes the pipeline; {@link #down} stops them from
 * their pid files.
 */
public final class LocalPipeline implements AutoCloseable {
  /** How long a start may take to become ready; a first MiniLM start converts the model. */
  public static final Duration READY_LIMIT = Duration.ofSeconds(240);

  /** A start that did not get to serving; the message says why. */
  public static final class StartFailed extends Exception {
    private static final long serialVersionUID = 1L;

    StartFailed(String message) {
      super(message);
    }
  }

  private final PipelineSettings settings;
  private final TopicNames topics;
  private final PrintStream out;
  private final List<String> workerSettings = new ArrayList<>();
  private final List<String> ingressSettings = new ArrayList<>();
  private int requestPartitions;
  private LocalBroker broker;
  private ServiceLauncher launcher;
  private HttpService worker;
  private HttpService ingress;
  private AutoscaledWorkers autoscaled;
  private PrintStream autoscalerLog;
  private ServiceProcess autoscaler;

  private LocalPipeline(PipelineSettings settings, PrintStream out) {
    this.settings = settings;
    this.topics = new TopicNames(settings.topicPrefix());
    this.out = out;
    this.requestPartitions = settings.requestPartitions();
  }

  /**
   * Starts everything and waits until the pipeline serves. With autoscaling, the supervisor runs in
   * this JVM, or, when {@code detached}, in a process of its own that outlives this JVM.
   */
  public static LocalPipeline start(PipelineSettings settings, boolean detached, PrintStream out)
      throws StartFailed, IOException, InterruptedException {
    return create(settings, out).start(detached);
  }

  /**
   * A pipeline not started yet: {@link #close} stops what {@link #start(boolean)} has started so
   * far, e.g. from a shutdown hook while it starts.
   */
  public static LocalPipeline create(PipelineSettings settings, PrintStream out) {
    return new LocalPipeline(settings, out);
  }

  /** {@link #start(PipelineSettings, boolean, PrintStream)}; a failed start stops what started. */
  public LocalPipeline start(boolean detached)
      throws StartFailed, IOException, InterruptedException {
    try {
      PreviousRun.requireNone(settings, requestPartitions);
      applyProfile();
      startAll(detached);
      awaitServing();
      return this;
    } catch (StartFailed | IOException | InterruptedException | RuntimeException e) {
      out.println("start failed; stopping what started");
      close();
      throw e;
    }
  }

  public PipelineSettings settings() {
    return settings;
  }

  public TopicNames topics() {
    return topics;
  }

  public String bootstrapServers() {
    return settings.bootstrapServers();
  }

  public int requestPartitions() {
    return requestPartitions;
  }

  public URI ingressUri() {
    return ingress.uri();
  }

  public LocalBroker broker() {
    return broker;
  }

  public HttpService ingress() {
    return ingress;
  }

  /** The single worker; empty when autoscaled. */
  public Optional<HttpService> worker() {
    return Optional.ofNullable(worker);
  }

  /** Completes when a component stops by itself (the broker, the ingress, a worker). */
  public CompletableFuture<String> anyStopped() {
    List<CompletableFuture<String>> watched = new ArrayList<>();
    watched.add(exit(broker.process()));
    watched.add(exit(ingress.process()));
    if (worker != null) {
      watched.add(exit(worker.process()));
    }
    if (autoscaler != null) {
      watched.add(exit(autoscaler));
    }
    return CompletableFuture.anyOf(watched.toArray(CompletableFuture[]::new))
        .thenApply(String.class::cast);
  }

  /**
   * Stops everything, in order: the ingress (no new work), the workers (each finishes its batch),
   * then the broker.
   */
  @Override
  public synchronized void close() {
    try {
      if (ingress != null) {
        stop(ingress.process());
      }
      if (autoscaled != null) {
        autoscaled.close();
        autoscalerLog.close();
        new PidFile(settings.runDir(), "autoscaler").delete();
      }
      if (autoscaler != null) {
        autoscaler.stop(PreviousRun.AUTOSCALER_GRACE);
      }
      if (worker != null) {
        stop(worker.process());
      }
      if (autoscaled != null || autoscaler != null) { // replicas left behind
        for (PidFile replica : PidFile.all(settings.runDir())) {
          if (replica.name().startsWith("worker-")) {
            replica.stop(ServiceProcess.STOP_GRACE);
          }
        }
      }
      if (broker != null) {
        stop(broker.process());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void stop(ServiceProcess process) throws InterruptedException {
    if (process.isAlive() && ClassDataArchives.writesArchive(process.command())) {
      out.println(ClassDataArchives.writingAsItStops(process.name()));
    }
    process.stop();
  }

  /**
   * Stops every process of a run whose pid files are in {@code runDir} (see {@link PreviousRun}).
   */
  public static void down(Path runDir, PrintStream out) throws InterruptedException {
    PreviousRun.down(runDir, out);
  }

  /** Renders the profile's settings files and takes its request partitions. */
  private void applyProfile() {
    if (settings.profile().isEmpty()) {
      return;
    }
    ProfileLayout layout = new ProfileLayout(settings.root());
    PerformanceProfile profile = layout.catalog().load(settings.profile().get());
    RenderedFolder folder = layout.localRun(profile);
    folder.apply(false, layout.root(), new PrintWriter(PrintWriter.nullWriter()));
    workerSettings.add(
        "--spring.config.additional-location=file:"
            + folder.folder().resolve(LocalRunRenderer.WORKER_SETTINGS));
    ingressSettings.add(
        "--spring.config.additional-location=file:"
            + folder.folder().resolve(LocalRunRenderer.INGRESS_SETTINGS));
    requestPartitions = LocalRunRenderer.requestPartitions(profile);
  }

  /**
   * Starts the broker and, while it starts, the services (their Kafka clients retry until it
   * listens); creates the topics once it answers.
   */
  private void startAll(boolean detached) throws StartFailed, IOException, InterruptedException {
    out.println("starting Kafka (KRaft) on " + bootstrapServers() + " ...");
    ClassDataArchives archives = ClassDataArchives.of(settings);
    broker =
        new LocalBroker(
            settings.state().resolve("kafka"),
            settings.logs(),
            settings.kafkaPort(),
            settings.controllerPort(),
            settings.runDir(),
            archives.forClasspath(LocalBroker.classpath(), "kafka", true));
    broker.launch();
    launcher = ServiceLauncher.forLocalRun(settings, archives);
    workerSettings.addAll(
        List.of(
            "--worker.topic-prefix=" + settings.topicPrefix(),
            "--worker.model.name=" + settings.model().modelName(),
            "--worker.model.kind=" + settings.model().kind()));
    workerSettings.addAll(settings.workerSettings());
    if (settings.autoscale().isPresent()) {
      PipelineSettings.Autoscale autoscale = settings.autoscale().get();
      out.printf(
          "starting the autoscaler (model '%s', %d-%d worker processes) and the ingress ...%n",
          settings.model().modelName(), autoscale.min(), autoscale.maxReplicas(requestPartitions));
      if (detached) {
        autoscaler = PipelineAutoscaler.startDetached(settings, requestPartitions, workerSettings);
      } else {
        new PidFile(settings.runDir(), "autoscaler").write(ProcessHandle.current());
        autoscalerLog = PipelineAutoscaler.log(settings);
        autoscaled =
            PipelineAutoscaler.inProcess(
                settings, requestPartitions, launcher, workerSettings, autoscalerLog);
      }
    } else {
      out.printf(
          "starting the worker (model '%s') and the ingress ...%n", settings.model().modelName());
      worker = launcher.worker("worker", settings.workerPort(), WORKER_HEAP, workerSettings);
    }
    ingressSettings.addAll(
        List.of("--ingress.topic-prefix=" + settings.topicPrefix(), "--ingress.instance-index=0"));
    ingressSettings.addAll(settings.ingressSettings());
    ingress = launcher.ingress("ingress", settings.ingressPort(), INGRESS_HEAP, ingressSettings);
    broker.awaitAnswering();
    try {
      broker.createTopics(
          topics, settings.model().modelName(), requestPartitions, settings.replyPartitions());
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      throw new StartFailed("could not create the topics: " + e);
    }
  }

  public static final String WORKER_HEAP = "-Xmx1g";
  public static final String INGRESS_HEAP = "-Xmx512m";

  private void awaitServing() throws StartFailed, InterruptedException {
    long deadline = System.nanoTime() + READY_LIMIT.toNanos();
    String last = null;
    try (Admin admin = broker.admin()) {
      ServingCheck check =
          new ServingCheck(
              settings,
              ingress,
              worker,
              new WorkerGroup(
                  admin, topics.workerGroup(settings.model().modelName()), requestPartitions));
      while (true) {
        String why = whyNotServing(check);
        if (why == null) {
          return;
        }
        if (!why.equals(last)) {
          out.println("  waiting: " + why);
          last = why;
        }
        if (System.nanoTime() > deadline) {
          throw new StartFailed(
              "not ready within "
                  + READY_LIMIT.toSeconds()
                  + " s: "
                  + why
                  + "; logs in "
                  + settings.logs());
        }
        Thread.sleep(200);
      }
    }
  }

  /** Null when the pipeline serves; else what it waits for. Fails if a component exited. */
  private String whyNotServing(ServingCheck check) throws StartFailed {
    requireAlive(broker.process());
    requireAlive(ingress.process());
    if (worker != null) {
      requireAlive(worker.process());
    }
    if (autoscaler != null) {
      requireAlive(autoscaler);
    }
    if (autoscaled != null && !autoscaled.isAlive()) {
      throw new StartFailed("the autoscaler stopped; see " + settings.logs());
    }
    return check.whyNot();
  }

  private static void requireAlive(ServiceProcess process) throws StartFailed {
    if (!process.isAlive()) {
      throw new StartFailed(process.name() + " exited during start\n" + process.logTail());
    }
  }

  private static CompletableFuture<String> exit(ServiceProcess process) {
    return process.onExit().thenApply(ignored -> process.name());
  }
}
