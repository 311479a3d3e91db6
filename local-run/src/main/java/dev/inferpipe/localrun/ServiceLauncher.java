package dev.inferpipe.localrun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the worker and the ingress from their {@code -exec.jar}s against one broker, each with its
 * heap, the JVM options of the run and {@code --key=value} settings (later ones win). The one place
 * that knows how a service's command line is put together.
 */
public final class ServiceLauncher {
  /** The services' jars. */
  public record Jars(Path worker, Path ingress) {
    /** The jars {@code ./mvnw package} builds under {@code root}. */
    public static Jars in(Path root) {
      return new Jars(
          root.resolve("inference-worker/target/inference-worker-" + VERSION + "-exec.jar"),
          root.resolve("ingress-api/target/ingress-api-" + VERSION + "-exec.jar"));
    }

    /** Fails, naming the module to build, if a jar is missing. */
    public Jars requireBuilt() {
      for (Path jar : List.of(worker, ingress)) {
        if (!Files.isRegularFile(jar)) {
          throw new IllegalStateException(
              jar
                  + " is missing: build it first (./mvnw -B -DskipTests package -pl "
                  + jar.getParent().getParent().getFileName()
                  + " -am)");
        }
      }
      return this;
    }
  }

  /** The project's version, which names the jars. */
  public static final String VERSION = "0.1.0-SNAPSHOT";

  private final Jars jars;
  private final String bootstrapServers;
  private final Path logDir;
  private final List<String> jvmOptions;
  private final Path runDir;
  private final ClassDataArchives archives;

  /**
   * @param jvmOptions added to every service's JVM, after its heap
   * @param runDir where detached services keep their pid files; null: they die with this JVM
   */
  public ServiceLauncher(
      Jars jars, String bootstrapServers, Path logDir, List<String> jvmOptions, Path runDir) {
    this(jars, bootstrapServers, logDir, jvmOptions, runDir, null);
  }

  /** As above; services start from {@code archives}, which the worker and the ingress write. */
  private ServiceLauncher(
      Jars jars,
      String bootstrapServers,
      Path logDir,
      List<String> jvmOptions,
      Path runDir,
      ClassDataArchives archives) {
    this.jars = jars;
    this.bootstrapServers = bootstrapServers;
    this.logDir = logDir;
    this.jvmOptions = List.copyOf(jvmOptions);
    this.runDir = runDir;
    this.archives = archives;
  }

  /**
   * The launcher of {@code ./pipeline}'s services: the jars built under the root, detached
   * processes, class-data archives in {@code <state>/app}.
   */
  static ServiceLauncher forLocalRun(PipelineSettings settings, ClassDataArchives archives) {
    return new ServiceLauncher(
        Jars.in(settings.root()).requireBuilt(),
        settings.bootstrapServers(),
        settings.logs(),
        List.of(),
        settings.runDir(),
        archives);
  }

  public Path logDir() {
    return logDir;
  }

  public Path runDir() {
    return runDir;
  }

  /**
   * A worker replica's command line, without {@code --server.port} (replicas add their own). Of the
   * replicas, several of which run at once, none writes the class-data archive.
   */
  public List<String> workerCommand(String heap, List<String> settings) {
    return command(jars.worker(), heap, settings, false);
  }

  /** Starts a worker named {@code name} on {@code port}. */
  public HttpService worker(String name, int port, String heap, List<String> settings)
      throws IOException {
    return start(name, port, command(jars.worker(), heap, settings, true));
  }

  /** Starts an ingress named {@code name} on {@code port}. */
  public HttpService ingress(String name, int port, String heap, List<String> settings)
      throws IOException {
    return start(name, port, command(jars.ingress(), heap, settings, true));
  }

  private List<String> command(Path jar, String heap, List<String> settings, boolean writeArchive) {
    List<String> command = new ArrayList<>(List.of(ServiceProcess.javaBin(), heap));
    command.addAll(jvmOptions);
    if (archives != null) {
      command.addAll(archives.forJar(jar, writeArchive));
    } else {
      command.addAll(List.of("-jar", jar.toString()));
    }
    command.add("--spring.kafka.bootstrap-servers=" + bootstrapServers);
    command.addAll(settings);
    return command;
  }

  private HttpService start(String name, int port, List<String> command) throws IOException {
    List<String> line = new ArrayList<>(command);
    line.add("--server.port=" + port);
    ServiceProcess process = new ServiceProcess(name, line, logDir);
    if (runDir != null) {
      process.detached(runDir);
    }
    process.start();
    return new HttpService(process, port);
  }
}
