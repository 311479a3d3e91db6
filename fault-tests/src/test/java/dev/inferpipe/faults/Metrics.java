package dev.inferpipe.faults;

/** A few values read from a service's Prometheus text ({@code /metrics}). */
record Metrics(String text) {
  /** Late or duplicate replies the ingress dropped because nobody waited for them. */
  long unmatchedReplies() {
    return (long) sum("inference_ingress_unmatched_replies_total", "");
  }

  /** Requests the ingress admitted that still wait for their answer. */
  long inFlight() {
    return (long) sum("inference_ingress_in_flight", "");
  }

  long heapUsedMegabytes() {
    return (long) (sum("jvm_memory_used_bytes", "area=\"heap\"") / (1 << 20));
  }

  long liveThreads() {
    return (long) sum("jvm_threads_live_threads", "");
  }

  /** The highest thread count and heap use seen over several readings. */
  record Peak(long liveThreads, long heapUsedMegabytes) {
    Peak with(Metrics reading) {
      return new Peak(
          Math.max(liveThreads, reading.liveThreads()),
          Math.max(heapUsedMegabytes, reading.heapUsedMegabytes()));
    }
  }

  /** {@code "threads before/during/after 40/52/41, heap MB 30/61/44"} for the report. */
  static String threadsAndHeap(Metrics before, Peak during, Metrics after) {
    return String.format(
        "threads before/during/after %d/%d/%d, heap MB %d/%d/%d",
        before.liveThreads(),
        during.liveThreads(),
        after.liveThreads(),
        before.heapUsedMegabytes(),
        during.heapUsedMegabytes(),
        after.heapUsedMegabytes());
  }

  /** The sum over every series of {@code name} whose labels contain {@code labels}. */
  double sum(String name, String labels) {
    double total = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith(name)
          && line.length() > name.length()
          && (line.charAt(name.length()) == '{' || line.charAt(name.length()) == ' ')
          && line.contains(labels)) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }
}
