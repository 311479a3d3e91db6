package dev.inferpipe.localrun;

/** What {@code ./pipeline up} prints once the pipeline serves: where it runs, how to call it. */
final class ReadyMessage {
  private ReadyMessage() {}

  static String endpoints(PipelineSettings s, int requestPartitions) {
    String model = s.model().modelName();
    StringBuilder text = new StringBuilder();
    text.append(
        String.format(
            "  ingress   http://localhost:%d   (POST /v2/models/%s/infer, /v2/health/ready, /config,"
                + " /metrics)%n",
            s.ingressPort(), model));
    if (s.autoscale().isPresent()) {
      PipelineSettings.Autoscale a = s.autoscale().get();
      int max = a.maxReplicas(requestPartitions);
      text.append(
          String.format(
              "  workers   http://localhost:%d-%d   (%d-%d replicas, replica N on port %d+N;"
                  + " ./pipeline status; timeline %s)%n",
              s.workerPort(),
              s.workerPort() + max - 1,
              a.min(),
              max,
              s.workerPort(),
              AutoscaledWorkers.timeline(s.logs())));
    } else {
      text.append(
          String.format(
              "  worker    http://localhost:%d   (/v2/health/ready, /config, /metrics)%n",
              s.workerPort()));
    }
    text.append(
        String.format(
            "  kafka     %s          (topics %s.requests.%s, %s.replies, ...)%n",
            s.bootstrapServers(), s.topicPrefix(), model, s.topicPrefix()));
    text.append(String.format("  logs      %s/%n", s.logs()));
    return text.toString();
  }

  static String examples(PipelineSettings s) {
    int port = s.ingressPort();
    if (s.model() == LocalModel.SIMULATED) {
      return String.format(
          "Call it:%n%n"
              + "  curl -s http://localhost:%d/v2/models/simulated/infer -H 'Content-Type:"
              + " application/json' \\%n"
              + "    -d '{\"id\":\"hello\",\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],"
              + "\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}'%n%n"
              + "The model 'simulated' is the simulated accelerator: no compute, it echoes its"
              + " inputs (\"simulated\": true).%n",
          port);
    }
    return String.format(
        "Call it (all-MiniLM-L6-v2 sentence embeddings, 384 dimensions, on libtorch):%n%n"
            + "  curl -s http://localhost:%d/v2/models/all-minilm-l6-v2/infer -H 'Content-Type:"
            + " application/json' \\%n"
            + "    -d '{\"id\":\"hello\",\"inputs\":[{\"name\":\"text\",\"shape\":[2],"
            + "\"datatype\":\"BYTES\",\"data\":[\"Kafka moves the requests.\",\"The GPU runs the"
            + " batch.\"]}]}'%n%n"
            + "or the OpenAI way:%n%n"
            + "  curl -s http://localhost:%d/v1/embeddings -H 'Content-Type: application/json'"
            + " \\%n"
            + "    -d '{\"model\":\"all-minilm-l6-v2\",\"input\":[\"Kafka moves the requests.\","
            + "\"The GPU runs the batch.\"]}'%n",
        port, port);
  }
}
