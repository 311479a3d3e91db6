package dev.inferpipe.loadgen;

import dev.inferpipe.loadgen.cli.Loadgen;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Runs {@code ./loadgen} in this JVM, as the script runs it, and keeps what it printed. */
record Cli(int exitCode, String out, String err) {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  static Cli run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = Loadgen.commandLine();
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    int code = command.execute(args);
    return new Cli(code, out.toString(), err.toString());
  }

  /** The JSON report a run wrote with {@code --report base}. */
  static JsonNode report(Path base) {
    return JSON.readTree(Path.of(base + ".json").toFile());
  }
}
