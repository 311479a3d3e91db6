package dev.inferpipe.loadgen.trace;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Traces as JSON Lines: one request per line, {@code
 * {"offset_us":…,"id":"…","model":"…","timeout_ms":…,"body":{…}}}, in send order. Writing is
 * byte-for-byte deterministic.
 */
public final class TraceFile {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private TraceFile() {}

  public static void write(List<TraceEntry> entries, Path file) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (TraceEntry entry : entries) {
        out.write("{\"offset_us\":");
        out.write(Long.toString(entry.offsetMicros()));
        out.write(",\"id\":");
        out.write(JSON.writeValueAsString(entry.id()));
        out.write(",\"model\":");
        out.write(JSON.writeValueAsString(entry.model()));
        out.write(",\"timeout_ms\":");
        out.write(Long.toString(entry.timeoutMs()));
        out.write(",\"body\":");
        out.write(new String(entry.body(), StandardCharsets.UTF_8));
        out.write("}\n");
      }
    }
  }

  public static List<TraceEntry> read(Path file) throws IOException {
    List<TraceEntry> entries = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int number = 0;
      for (String line; (line = in.readLine()) != null; ) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        try {
          JsonNode node = JSON.readTree(line);
          entries.add(
              new TraceEntry(
                  node.required("offset_us").asLong(),
                  node.required("id").asString(),
                  node.required("model").asString(),
                  node.required("timeout_ms").asLong(),
                  JSON.writeValueAsBytes(node.required("body"))));
        } catch (RuntimeException e) {
          throw new IOException(
              file + " line " + number + ": not a trace entry (" + e.getMessage() + ")", e);
        }
      }
    }
    return entries;
  }
}
