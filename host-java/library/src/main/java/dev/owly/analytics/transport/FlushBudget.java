package dev.owly.analytics.transport;

import static java.util.Objects.requireNonNull;

import dev.owly.analytics.spi.Response;
import dev.owly.analytics.spi.Transport;
import dev.owly.analytics.spi.TransportException;
import java.time.Duration;

/**
 * The transport as a flush with a time budget sees it: a send starts only if it can end within the
 * budget -- while at least {@code longestSend} (the transport's own timeouts) of it remains, or
 * half the budget when the budget is shorter than two sends (a drain on close). When the budget is
 * spent, the send is not made and the core is told {@code not-configured} -- the one transport
 * error on which the core ends the flush without settling the batch -- so the batch stays sealed
 * and leased to this node, unchanged and with no attempt counted, and the node's next flush sends
 * it first. One flush at a time ({@code Owly} runs them on one thread).
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

  @Override
  public Response send(String body) {
    if (running && deadlineNanos - System.nanoTime() < reserveNanos) {
      stopped = true;
      throw new TransportException(TransportException.Kind.NOT_CONFIGURED, STOPPED);
    }
    return inner.send(body);
  }

  @Override
  public String toString() {
    return "FlushBudget[" + inner + "]";
  }
}
