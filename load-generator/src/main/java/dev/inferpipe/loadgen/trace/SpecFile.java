package dev.inferpipe.loadgen.trace;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Reads a workload spec from YAML, refusing unknown fields with their path. */
public final class SpecFile {
  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
          .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .addModule(
              new SimpleModule()
                  .addDeserializer(
                      Duration.class,
                      new StdDeserializer<Duration>(Duration.class) {
                        @Override
                        public Duration deserialize(
                            JsonParser parser, DeserializationContext context) {
                          return Durations.parse(parser.getValueAsString());
                        }
                      }))
          .build();

  private SpecFile() {}

  public static WorkloadSpec read(Path file) throws IOException {
    try {
      return YAML.readValue(file.toFile(), WorkloadSpec.class);
    } catch (JacksonException e) {
      Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
      String message = cause == e ? e.getOriginalMessage() : cause.getMessage();
      throw new IOException(file + ": " + message + where(e), e);
    }
  }

  private static String where(JacksonException e) {
    String path = e.getPathReference();
    return path == null || path.isEmpty() ? "" : " (at " + path + ")";
  }
}
