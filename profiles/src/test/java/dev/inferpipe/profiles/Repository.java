package dev.inferpipe.profiles;

import java.nio.file.Path;

/** The repository these tests run in: its root comes from Surefire ({@code inferpipe.root}). */
final class Repository {
  private Repository() {}

  static Path root() {
    return Path.of(System.getProperty("inferpipe.root", "..")).toAbsolutePath().normalize();
  }

  static ProfileLayout layout() {
    return new ProfileLayout(root());
  }
}
