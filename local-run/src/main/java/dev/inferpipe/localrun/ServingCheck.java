package dev.inferpipe.localrun;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * Whether a started pipeline serves: the ingress is ready, this run's workers hold every request
 * partition, and a probe request has made the round trip through the ingress. With {@code --min 0}
 * no worker runs until there is lag, so a ready ingress is enough.
 */
final class ServingCheck {
  private final PipelineSettings settings;
  private final HttpService ingress;
  private final HttpService worker; // null when the autoscaler runs the workers
  private final WorkerGroup group;

  ServingCheck(
      PipelineSettings settings, HttpService ingress, HttpService worker, WorkerGroup group) {
    this.settings = settings;
    this.ingress = ingress;
    this.worker = worker;
    this.group = group;
  }

  /** Null when the pipeline serves; else what it waits for. */
  String whyNot() {
    if (!ingress.isReady()) {
      return "the ingress is starting";
    }
    boolean scalesFromZero = settings.autoscale().map(a -> a.min() == 0).orElse(false);
    if (scalesFromZero) {
      return null; // no worker runs until there is lag: requests wait in Kafka for one
    }
    Set<Long> pids = workerPids();
    if (pids.isEmpty() || (worker != null && !worker.isReady())) {
      return "the worker is starting";
    }
    try {
      WorkerGroup.Snapshot snapshot = group.read();
      if (!snapshot.servedBy(pids)) {
        return snapshot.whyNotServing(pids);
      }
    } catch (Exception e) {
      return "cannot read group " + group.name() + ": " + e;
    }
    return probe();
  }

  /** The pids of this run's workers: the one worker, or the replicas' pid files. */
  private Set<Long> workerPids() {
    Set<Long> pids = new HashSet<>();
    if (worker != null) {
      pids.add(worker.process().pid());
    } else {
      for (PidFile file : PidFile.all(settings.runDir())) {
        if (file.name().startsWith("worker-")) {
          file.process().ifPresent(p -> pids.add(p.pid()));
        }
      }
    }
    return pids;
  }

  /** Null when a request made the round trip through the ingress; else what it got. */
  private String probe() {
    HttpRequest request =
        HttpRequest.newBuilder(
                ingress.uri().resolve("/v2/models/" + settings.model().modelName() + "/infer"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(settings.model().probeRequest()))
            .build();
    try {
      HttpResponse<String> response = HttpService.send(request);
      if (response.statusCode() == 200) {
        return null;
      }
      String body = response.body();
      return "a probe request through the ingress got "
          + response.statusCode()
          + ": "
          + body.substring(0, Math.min(200, body.length()));
    } catch (IOException e) {
      return "a probe request through the ingress failed: " + e.getMessage();
    }
  }
}
