package dev.owly.analytics.transport;

import static java.util.Objects.requireNonNull;

import dev.owly.analytics.spi.Request;
import dev.owly.analytics.spi.Response;
import dev.owly.analytics.spi.Transport;
import dev.owly.analytics.spi.TransportException;
import java.time.Duration;

/**
 * The transport as a flush with a time budget sees it: a send starts only if it can end within the
 * budget -- while at least {@code longestSend} (the transport's own timeouts) of it remains, or
 * half the budget when the budget is shorter than two sends (a drain on close). When the budget is
 * spent, {@link #ready} tells the core {@code stopped} before the send, on which it ends the flush
 * without settling the batch: it stays sealed and leased to this node, and the node's next flush
 * sends it first. One flush at a time ({@code Owly} runs them on one thread).
 */
public final class FlushBudget implements Transport {
  /** The reason a flush reports when its budget stopped it. */
  public static final String STOPPED = "flush.budget";

  private final Transport inner;
  private final long longestSendNanos;
  private volatile long deadlineNanos;
  private volatile long reserveNanos;
  private volatile boolean running;
  private volatile boolean stopped;

  public FlushBudget(Transport inner, Duration longestSend) {
    this.inner = requireNonNull(inner, "inner");
    this.longestSendNanos = requireNonNull(longestSend, "longestSend").toNanos();
  }

  /** A flush with {@code budget} begins. */
  public void begin(Duration budget) {
    deadlineNanos = System.nanoTime() + budget.toNanos();
    reserveNanos = Math.min(longestSendNanos, budget.toNanos() / 2);
    stopped = false;
    running = true;
  }

  /** The flush ended; returns whether the budget stopped one of its sends. */
  public boolean end() {
    running = false;
    return stopped;
  }

  /** Refuses a send that could not end within the budget: the core counts no attempt for it. */
  @Override
  public void ready() {
    if (running && deadlineNanos - System.nanoTime() < reserveNanos) {
      stopped = true;
      throw new TransportException(TransportException.Kind.STOPPED, STOPPED);
    }
    inner.ready();
  }

  @Override
  public Response send(Request request) {
    return inner.send(request);
  }

  @Override
  public String toString() {
    return "FlushBudget[" + inner + "]";
  }
}
