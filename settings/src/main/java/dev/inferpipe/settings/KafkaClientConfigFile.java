package dev.inferpipe.settings;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Reads the Kafka client settings a command-line tool is given with {@code --kafka-config FILE}: a
 * Java properties file in the format of Kafka's own {@code client.properties} ({@code
 * security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config}, {@code ssl.truststore.*},
 * ...), handed to every Kafka client the tool creates.
 */
public final class KafkaClientConfigFile {
  private KafkaClientConfigFile() {}

  /** The file's settings; none when {@code file} is null. */
  public static Map<String, Object> read(Path file) {
    Map<String, Object> settings = new TreeMap<>();
    if (file == null) {
      return settings;
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "--kafka-config: no such file "
              + file.toAbsolutePath()
              + " (expected a properties file)");
    }
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--kafka-config: cannot read " + file.toAbsolutePath() + ": " + e.getMessage(), e);
    }
    properties.stringPropertyNames().forEach(key -> settings.put(key, properties.getProperty(key)));
    return settings;
  }
}
