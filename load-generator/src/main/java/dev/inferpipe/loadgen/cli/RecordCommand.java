package dev.inferpipe.loadgen.cli;

import dev.inferpipe.contracts.TopicNames;
import dev.inferpipe.loadgen.drive.KafkaAddress;
import dev.inferpipe.loadgen.trace.Anonymizer;
import dev.inferpipe.loadgen.trace.Durations;
import dev.inferpipe.loadgen.trace.TraceFile;
import dev.inferpipe.loadgen.trace.TrafficRecorder;
import dev.inferpipe.settings.KafkaClientConfigFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    mixinStandardHelpOptions = true,
    name = "record",
    description = {
      "Records live traffic as a trace: the requests written to <prefix>.requests.<model> in a"
          + " time window, at their record times. Replaying the trace sends the same bodies at the"
          + " same relative times.",
      "Without --since it records from now on for --duration; with --since it reads what is"
          + " already on the topic (the topic's retention decides how far back that goes)."
    })
final class RecordCommand implements Callable<Integer> {
  @Spec CommandSpec command;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "kafka://BOOTSTRAP[?prefix=P]",
      description = "the brokers and the topic prefix (default prefix: inference)")
  String from;

  @Option(names = "--model", required = true, description = "whose request topic to read")
  String model;

  @Option(
      names = "--since",
      paramLabel = "TIME",
      description =
          "the window's start: an instant (2026-12-01T14:00:00Z) or a time ago (90m, 2h, PT3H)")
  String since;

  @Option(
      names = "--duration",
      paramLabel = "D",
      description =
          "the window's length, e.g. 10m (default with --since: up to now; without: required)")
  String duration;

  @Option(
      names = "--anonymize",
      description = "replace the texts of each request with synthetic texts of as many words")
  boolean anonymize;

  @Option(names = "--seed", defaultValue = "1", description = "for --anonymize's texts")
  long seed;

  @Option(
      names = "--kafka-config",
      paramLabel = "FILE",
      description = "Kafka client settings (security.protocol, sasl.*, ssl.*): a properties file")
  Path kafkaConfig;

  @Option(
      names = {"-o", "--output"},
      required = true,
      description = "the trace to write (JSONL)")
  Path output;

  @Override
  public Integer call() throws Exception {
    KafkaAddress address = KafkaAddress.parse(from);
    Instant start = since == null ? null : instant(since);
    Instant end = null;
    if (duration != null) {
      end = (start != null ? start : Instant.now()).plus(Durations.parse(duration));
    } else if (start == null) {
      throw new IllegalArgumentException("give --since TIME, --duration D, or both");
    }
    Map<String, Object> config = new HashMap<>(KafkaClientConfigFile.read(kafkaConfig));
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, address.bootstrap());
    String topic = new TopicNames(address.prefix()).requests(model);
    PrintWriter err = command.commandLine().getErr();
    if (start == null) {
      err.printf("recording %s for %s ...%n", topic, duration);
      err.flush();
    }
    UnaryOperator<tools.jackson.databind.JsonNode> bodies =
        anonymize ? new Anonymizer(seed)::anonymize : UnaryOperator.identity();
    TrafficRecorder.Recording recording =
        TrafficRecorder.record(config, topic, model, start, end, bodies);
    TraceFile.write(recording.entries(), output);
    List<?> entries = recording.entries();
    double seconds =
        entries.isEmpty() ? 0 : recording.entries().get(entries.size() - 1).offsetMicros() / 1e6;
    PrintWriter out = command.commandLine().getOut();
    out.printf(
        "recorded %d requests over %.1f s from %s to %s%s%s%n",
        entries.size(),
        seconds,
        topic,
        output,
        anonymize ? " (texts anonymized)" : "",
        recording.skipped() > 0
            ? "; skipped " + recording.skipped() + " records that are not JSON objects"
            : "");
    out.flush();
    if (entries.isEmpty()) {
      err.println("loadgen: no request was recorded: nothing was written to " + topic + " then");
      return 1;
    }
    return 0;
  }

  /** An ISO instant, or a duration ago. */
  static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException notAnInstant) {
      try {
        return Instant.now().minus(Durations.parse(text));
      } catch (IllegalArgumentException notADuration) {
        throw new IllegalArgumentException(
            "--since must be an instant (2026-12-01T14:00:00Z) or a time ago (90m, 2h), was '"
                + text
                + "'");
      }
    }
  }
}
