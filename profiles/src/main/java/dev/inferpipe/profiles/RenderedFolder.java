package dev.inferpipe.profiles;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Files rendered for one folder, compared with what is on disk: says which are new, changed (with
 * the changed lines) or unchanged, and writes them unless this is a dry run.
 */
public record RenderedFolder(Path folder, Map<String, String> files) {

  /** Whether every file on disk already has the rendered content. */
  boolean isUpToDate() {
    return files.entrySet().stream()
        .allMatch(file -> file.getValue().equals(current(file.getKey())));
  }

  /**
   * Prints what changes and, unless {@code dryRun}, writes it.
   *
   * @return how many files were (or would be) created or changed
   */
  public int apply(boolean dryRun, Path shownFrom, PrintWriter out) {
    int changed = 0;
    for (Map.Entry<String, String> file : files.entrySet()) {
      Path path = folder.resolve(file.getKey());
      String shown = shownFrom.relativize(path.toAbsolutePath().normalize()).toString();
      String before = current(file.getKey());
      if (file.getValue().equals(before)) {
        continue;
      }
      changed++;
      if (before == null) {
        out.println((dryRun ? "would create " : "created ") + shown);
      } else {
        out.println((dryRun ? "would change " : "changed ") + shown);
        LineDiff.between(before, file.getValue()).forEach(line -> out.println("    " + line));
      }
      if (!dryRun) {
        write(path, file.getValue());
      }
    }
    return changed;
  }

  private String current(String name) {
    Path path = folder.resolve(name);
    try {
      return Files.isRegularFile(path) ? Files.readString(path) : null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  private static void write(Path path, String content) {
    try {
      Files.createDirectories(path.getParent());
      Files.writeString(path, content);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e);
    }
  }
}
