package dev.inferpipe.localrun;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Class-data sharing for the local run's JVMs: each starts from an archive of the classes that an
 * earlier run of it loaded, which saves a third of the CPU a start needs. The archive is a CDS
 * archive on JDK 17 to 24 ({@code -XX:SharedArchiveFile}) and the AOT cache on JDK 25 and newer
 * ({@code -XX:AOTCache}), kept in {@code .pipeline/app/<jar or kafka>/}.
 *
 * <p>A JVM started without its archive writes it as it stops ({@code -XX:ArchiveClassesAtExit},
 * {@code -XX:AOTCacheOutput}), once per build and JDK. It writes to {@code <archive>.new}, which
 * {@link #settle} keeps only if the JVM ended by itself: a JVM killed while writing leaves half an
 * archive. A Spring Boot service runs from its jar extracted next to the archive, since classes in
 * nested jars cannot be archived. Where extraction fails, the service starts from its jar, only
 * slower.
 */
public final class ClassDataArchives {
  private static final String CDS_WRITE = "-XX:ArchiveClassesAtExit=";
  private static final String AOT_WRITE = "-XX:AOTCacheOutput=";
  private static final String UNSETTLED = ".new";
  private static final String SOURCE = "source";

  private final Path dir;
  private final Path logDir;
  private final int javaFeature;

  /**
   * @param dir where the archives and extracted jars live ({@code .pipeline/app})
   * @param logDir where a jar's extraction logs
   */
  public ClassDataArchives(Path dir, Path logDir) {
    this.dir = dir;
    this.logDir = logDir;
    this.javaFeature = Runtime.version().feature();
  }

  /**
   * What follows the heap on the command line of a JVM running Spring Boot {@code jar}: the options
   * and {@code -jar} with the extracted jar. A worker's archive serves every model kind; it holds
   * the classes of the kind that ran when it was written.
   *
   * @param write whether a JVM without the archive writes it as it stops (false for processes of
   *     which several run at once, such as worker replicas, that would write the same file)
   */
  public List<String> forJar(Path jar, boolean write) {
    String stem = jar.getFileName().toString().replaceFirst("\\.jar$", "");
    Path home = dir.resolve(stem);
    Path extracted = home.resolve(jar.getFileName());
    try {
      String source = source(Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis());
      if (!isFor(home, source)) {
        if (!extract(jar, home)) {
          return List.of("-jar", jar.toString());
        }
        Files.writeString(home.resolve(SOURCE), source);
      }
    } catch (IOException e) {
      return List.of("-jar", jar.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of("-jar", jar.toString());
    }
    List<String> options = new ArrayList<>(options(home, "app", write));
    options.addAll(List.of("-jar", extracted.toString()));
    return options;
  }

  /**
   * The archive options of a JVM on {@code classpath}, such as the broker's, named {@code name}.
   */
  public List<String> forClasspath(String classpath, String name, boolean write) {
    Path home = dir.resolve(name);
    try {
      String source = source(Integer.toHexString(classpath.hashCode()));
      if (!isFor(home, source)) {
        reset(home);
        Files.writeString(home.resolve(SOURCE), source);
      }
    } catch (IOException e) {
      return List.of();
    }
    return options(home, name, write);
  }

  /**
   * After a JVM started with {@code command} ended: keeps the archive it wrote, if it wrote one and
   * {@code endedByItself}; else drops what it wrote.
   */
  public static void settle(List<String> command, boolean endedByItself) {
    for (String argument : command) {
      Optional<Path> written = written(argument);
      if (written.isEmpty()) {
        continue;
      }
      Path file = written.get();
      String name = file.getFileName().toString();
      try {
        if (endedByItself && Files.isRegularFile(file)) {
          Path archive = file.resolveSibling(name.substring(0, name.length() - UNSETTLED.length()));
          Files.move(file, archive, StandardCopyOption.REPLACE_EXISTING);
        } else {
          Files.deleteIfExists(file);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("could not settle the class-data archive " + file, e);
      }
    }
  }

  /** The archives of {@code ./pipeline}'s run: {@code <state>/app}. */
  static ClassDataArchives of(PipelineSettings settings) {
    return new ClassDataArchives(settings.state().resolve("app"), settings.logs());
  }

  /** What is said before stopping {@code name}, which writes its archive as it stops. */
  static String writingAsItStops(String name) {
    return name + " writes its class-data archive as it stops (once per build) ...";
  }

  /** Whether a JVM with {@code command} writes its archive as it stops (which takes a while). */
  public static boolean writesArchive(List<String> command) {
    return writer(command).isPresent();
  }

  /** The option in {@code command} with which a JVM writes its archive as it stops, if any. */
  public static Optional<String> writer(List<String> command) {
    return command.stream().filter(argument -> written(argument).isPresent()).findFirst();
  }

  private static Optional<Path> written(String argument) {
    for (String option : List.of(CDS_WRITE, AOT_WRITE)) {
      if (argument.startsWith(option) && argument.endsWith(UNSETTLED)) {
        return Optional.of(Path.of(argument.substring(option.length())));
      }
    }
    return Optional.empty();
  }

  private List<String> options(Path home, String name, boolean write) {
    boolean aot = javaFeature >= 25;
    Path archive = home.resolve(name + (aot ? ".aot" : ".jsa"));
    if (Files.isRegularFile(archive)) {
      return List.of((aot ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + archive);
    }
    if (!write) {
      return List.of();
    }
    // quietly: the classes it cannot archive are no news
    return List.of(
        (aot ? AOT_WRITE : CDS_WRITE) + archive + UNSETTLED,
        "-Xlog:cds=off,cds+dynamic=off" + (aot ? ",aot=off" : ""));
  }

  private String source(String of) {
    return of + " java " + Runtime.version();
  }

  private static boolean isFor(Path home, String source) throws IOException {
    Path file = home.resolve(SOURCE);
    return Files.isRegularFile(file) && Files.readString(file).equals(source);
  }

  /** Extracts {@code jar} into an emptied {@code home}; false, logged, if that failed. */
  private boolean extract(Path jar, Path home) throws IOException, InterruptedException {
    reset(home);
    ServiceProcess extraction =
        new ServiceProcess(
            home.getFileName() + "-extract",
            List.of(
                ServiceProcess.javaBin(),
                "-Djarmode=tools",
                "-jar",
                jar.toString(),
                "extract",
                "--destination",
                home.toString()),
            logDir);
    extraction.start();
    return extraction.waitFor(Duration.ofSeconds(120));
  }

  private static void reset(Path home) throws IOException {
    if (Files.exists(home)) {
      try (Stream<Path> files = Files.walk(home)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(file);
        }
      }
    }
    Files.createDirectories(home);
  }

  /** {@code classpath} without its folders: CDS archives only classes from jars. */
  public static String jarsOnly(String classpath) {
    return String.join(
        File.pathSeparator,
        Arrays.stream(classpath.split(File.pathSeparator))
            .filter(entry -> !Files.isDirectory(Path.of(entry)))
            .toList());
  }
}
