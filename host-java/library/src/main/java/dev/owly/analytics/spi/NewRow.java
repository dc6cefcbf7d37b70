package dev.owly.analytics.spi;

import static java.util.Objects.requireNonNull;

/**
 * WIT {@code types.new-row}: an accepted event before it has a row id.
 *
 * @param recordedAt Unix seconds
 * @param attributes canonical JSON object, or "" when the event declares no attributes
 */
public record NewRow(
    String name,
    String tenant,
    String productVersion,
    String appVersion,
    long recordedAt,
    String attributes) {
  public NewRow {
    requireNonNull(name, "name");
    requireNonNull(tenant, "tenant");
    requireNonNull(productVersion, "productVersion");
    requireNonNull(appVersion, "appVersion");
    requireNonNull(attributes, "attributes");
  }
}
