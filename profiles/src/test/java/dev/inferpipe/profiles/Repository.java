package dev.inferpipe.profiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The repository these tests run in: its root comes from Surefire ({@code inferpipe.root}). */
final class Repository {
  private Repository() {}

  static Path root() {
    return Path.of(System.getProperty("inferpipe.root", "..")).toAbsolutePath().normalize();
  }

  static ProfileLayout layout() {
    return new ProfileLayout(root());
  }

  /** A copy of the repository's k8s/ folder under {@code folder}, to render with changes. */
  static Path copyOfK8s(Path folder) throws IOException {
    Path source = root().resolve("k8s");
    Path copy = folder.resolve("k8s");
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.toList()) {
        Path target = copy.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
    return copy;
  }
}
