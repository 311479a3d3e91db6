package dev.inferpipe.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** What the build tells the fault tests: where the services' jars are and where to write. */
final class FaultSettings {
  private FaultSettings() {}

  static String required(String property) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "system property " + property + " is not set: run the fault tests through Maven");
    }
    return value;
  }

  /** A built jar named by {@code property}, with a clear error if it was not built. */
  static Path jar(String property) {
    Path jar = Path.of(required(property));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: build it first (./mvnw package -DskipTests -pl " + module(jar) + ")");
    }
    return jar;
  }

  /** A fresh folder for one scenario's broker data and logs, under the module's target/. */
  static Path scenarioDir(String scenario) throws IOException {
    Path dir = Path.of(required("fault.work.dir")).resolve(scenario);
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    return Files.createDirectories(dir);
  }

  private static String module(Path jar) {
    return jar.getParent().getParent().getFileName().toString();
  }
}
