package dev.owly.analytics.runtime;

/**
 * The time limit of one guest call. When the deadline passes, the calling thread is interrupted
 * while it runs guest code: Endive checks the interrupt flag at every call and backward branch
 * (interpreter and compiler alike) and throws {@code WasmInterruptedException}. While the thread is
 * inside a host capability (a JDBC transaction, an HTTP request) it is never interrupted, so a
 * storage transaction is never cut in half; the timeout is raised when the capability returns.
 */
final class CallGuard {
  private final Thread thread = Thread.currentThread();
  private boolean inHost;
  private boolean expired;
  private boolean done;

  synchronized void expire() {
    if (done) {
      return;
    }
    expired = true;
    if (!inHost) {
      thread.interrupt();
    }
  }

  synchronized boolean expired() {
    return expired;
  }

  synchronized void enterHost() {
    if (expired) {
      throw new GuestCallException("timeout");
    }
    inHost = true;
  }

  synchronized void leaveHost() {
    inHost = false;
    if (expired) {
      throw new GuestCallException("timeout");
    }
  }

  /** Ends the call; a late interrupt from the watchdog must not leak to the caller's thread. */
  synchronized void finish() {
    done = true;
    if (expired) {
      Thread.interrupted();
    }
  }
}
