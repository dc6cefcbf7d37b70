package dev.owly.analytics.runtime;

/**
 * The time limit of one guest call. When the deadline passes, the guest code running on the calling
 * thread is interrupted ({@link WasmRuntime.Instance#interrupt}: Endive checks the thread's
 * interrupt flag at every call and backward branch, GraalWasm cancels its context). While the
 * thread is inside a host capability (a JDBC transaction, an HTTP request) it is never interrupted,
 * so a storage transaction is never cut in half; the timeout is raised when the capability returns.
 */
final class CallGuard {
  private final Thread thread = Thread.currentThread();
  private final GuestInstance instance;
  private boolean inHost;
  private boolean expired;
  private boolean done;

  CallGuard(GuestInstance instance) {
    this.instance = instance;
  }

  synchronized void expire() {
    if (done) {
      return;
    }
    expired = true;
    if (!inHost) {
      instance.interrupt(thread);
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
