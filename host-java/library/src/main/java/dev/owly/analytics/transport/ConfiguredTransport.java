package dev.owly.analytics.transport;

import static java.util.Objects.requireNonNull;

import dev.owly.analytics.spi.Request;
import dev.owly.analytics.spi.Response;
import dev.owly.analytics.spi.Transport;
import dev.owly.analytics.spi.TransportException;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A transport that follows the configured collector URL: read on every send, so the admin's change
 * applies at once; no URL is {@code not-configured}; a URL that {@link HttpsTransport} refuses
 * (plain HTTP off loopback) is a {@code connect("config")} error, never a send.
 */
public final class ConfiguredTransport implements Transport {
  private final Supplier<Optional<String>> url;
  private final Function<String, HttpsTransport> factory;
  private String currentUrl;
  private HttpsTransport current;

  public ConfiguredTransport(
      Supplier<Optional<String>> url, Function<String, HttpsTransport> factory) {
    this.url = requireNonNull(url, "url");
    this.factory = requireNonNull(factory, "factory");
  }

  /** Follows {@code url} with default {@link HttpsTransport} settings. */
  public static ConfiguredTransport following(Supplier<Optional<String>> url) {
    return new ConfiguredTransport(url, u -> HttpsTransport.builder(u).build());
  }

  @Override
  public void ready() {
    if (url.get().isEmpty()) {
      throw new TransportException(TransportException.Kind.NOT_CONFIGURED, "not-configured");
    }
  }

  @Override
  public Response send(Request request) {
    return transportFor(
            url.get()
                .orElseThrow(
                    () ->
                        new TransportException(
                            TransportException.Kind.NOT_CONFIGURED, "not-configured")))
        .send(request);
  }

  private synchronized HttpsTransport transportFor(String u) {
    if (!u.equals(currentUrl)) {
      try {
        current = factory.apply(u);
      } catch (TransportConfigException e) {
        throw new TransportException(TransportException.Kind.CONNECT, "config", e);
      }
      currentUrl = u;
    }
    return current;
  }
}
