package dev.inferpipe.worker.batch;

import java.time.Duration;
import java.util.List;

/** Where a {@link BatchAssembler} gets work from: a Kafka consumer, or a queue in tests. */
@FunctionalInterface
public interface RecordSource<T> {
  /** Returns what is available now, waiting up to {@code timeout} for at least one item. */
  List<T> poll(Duration timeout);
}
