package dev.owly.analytics.spi;

/** WIT {@code transport}: POSTs one exact body, with the core's headers, to the collector. */
public interface Transport {
  /**
   * Asked before each send, before the core counts its attempt: throws the {@link
   * TransportException} the send would end in without making a request ({@link
   * TransportException.Kind#NOT_CONFIGURED}, or {@link TransportException.Kind#STOPPED} when a
   * flush budget is spent), so that no attempt is counted for a send that is never made. Makes no
   * request; the default allows every send.
   */
  default void ready() {}

  /**
   * Sends {@code request.body()} with {@code request.headers()}; throws {@link TransportException}
   * when no HTTP answer was received ({@link TransportException.Kind#STOPPED} when it made no
   * request on purpose).
   */
  Response send(Request request);
}
