package dev.inferpipe.profiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The profiles kept as {@code <name>.yaml} files in one folder (the repository's {@code
 * profiles/}).
 */
public final class ProfileCatalog {
  /** The profile used when none is named. */
  public static final String DEFAULT_PROFILE = "production";

  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  private final Path folder;

  public ProfileCatalog(Path folder) {
    this.folder = folder;
  }

  /** The names of every profile in the folder, sorted. */
  public List<String> names() {
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .map(file -> file.getFileName().toString())
          .filter(file -> file.endsWith(".yaml"))
          .map(file -> file.substring(0, file.length() - ".yaml".length()))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the profiles in " + folder, e);
    }
  }

  /**
   * Reads and validates one profile.
   *
   * @throws InvalidProfileException when the profile is missing, is not YAML or breaks the schema
   */
  public PerformanceProfile load(String name) {
    Path file = folder.resolve(name + ".yaml");
    String source = folder.getFileName() + "/" + name + ".yaml";
    if (!Files.isRegularFile(file)) {
      throw new InvalidProfileException(
          source, List.of("no such profile '" + name + "'; known profiles: " + names()));
    }
    try {
      return parse(source, name, Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Validates a profile given as YAML text; {@code name} is what its {@code name} must say. */
  public static PerformanceProfile parse(String source, String name, String yaml) {
    Object document;
    try {
      document = YAML.readValue(yaml, Object.class);
    } catch (JacksonException e) {
      throw new InvalidProfileException(
          source, List.of("not valid YAML: " + e.getOriginalMessage()));
    }
    if (!(document instanceof Map<?, ?> map)) {
      throw new InvalidProfileException(source, List.of("the file must hold one YAML mapping"));
    }
    return ProfileSchema.read(source, name, map);
  }
}
