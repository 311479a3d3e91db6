package dev.inferpipe.loadgen.drive;

import java.util.concurrent.locks.LockSupport;

/** Waiting for a moment on {@link System#nanoTime()}'s clock. */
final class Clock {
  private Clock() {}

  static void waitUntil(long nanos) throws InterruptedException {
    for (long wait; (wait = nanos - System.nanoTime()) > 0; ) {
      LockSupport.parkNanos(wait);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }
}
