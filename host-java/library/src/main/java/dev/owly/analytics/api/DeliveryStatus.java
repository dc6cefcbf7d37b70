package dev.owly.analytics.api;

import static java.util.Objects.requireNonNull;

import dev.owly.analytics.core.Core;
import dev.owly.analytics.core.CounterTally;
import dev.owly.analytics.storage.ActivityQueries;
import dev.owly.analytics.storage.CounterKind;
import dev.owly.analytics.storage.DailyCounters;
import dev.owly.analytics.storage.DeliveryHealth;
import dev.owly.analytics.storage.JdbcStorage;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * How delivery stands, for the plugin author ({@link Owly#status()}) and the admin page: what
 * waits, what keeps failing, and when the collector last took a batch. Counts are of the whole
 * database (every node); the health is what the nodes observed of their sends.
 *
 * @param pendingRows accepted events not yet sealed into a batch
 * @param sealedBatches batches sealed and not yet answered by the collector
 * @param retryingBatches batches whose last send failed and that will be sent again
 * @param failedBatches batches failed for good (kept for the retention period, never resent)
 * @param deliveredBatches batches the collector accepted (kept for the retention period)
 * @param droppedRows rows the storage dropped (bounded storage), all time
 * @param lastSuccessfulDelivery when a send last succeeded
 * @param failingSince the first failed send after the last success; empty while the last send
 *     succeeded
 * @param lastFailure when a send last failed
 * @param lastErrorCode the code of the last failed send ({@code http.503}, {@code transport}, a
 *     reason such as {@code http.client-error}); never content
 */
public record DeliveryStatus(
    long pendingRows,
    long sealedBatches,
    long retryingBatches,
    long failedBatches,
    long deliveredBatches,
    long droppedRows,
    Optional<Instant> lastSuccessfulDelivery,
    Optional<Instant> failingSince,
    Optional<Instant> lastFailure,
    Optional<String> lastErrorCode) {
  public DeliveryStatus {
    requireNonNull(lastSuccessfulDelivery, "lastSuccessfulDelivery");
    requireNonNull(failingSince, "failingSince");
    requireNonNull(lastFailure, "lastFailure");
    requireNonNull(lastErrorCode, "lastErrorCode");
  }

  /** Whether the last observed send failed. */
  public boolean failing() {
    return failingSince.isPresent();
  }

  /**
   * Reads the status from the tables (and the counters' unwritten deltas, if the core has them).
   */
  public static DeliveryStatus read(Core core, JdbcStorage storage) {
    requireNonNull(core, "core");
    requireNonNull(storage, "storage");
    Map<String, Long> rows = storage.eventCounts();
    Map<String, Long> batches = new ActivityQueries(storage.dataSource()).batchCounts();
    Optional<CounterTally> tally = core.counters();
    DailyCounters counters =
        tally.map(CounterTally::counters).orElseGet(() -> new DailyCounters(storage.dataSource()));
    DeliveryHealth health = tally.map(CounterTally::health).orElseGet(counters::health);
    Map<CounterKind, Map<String, Long>> totals =
        tally.map(CounterTally::totals).orElseGet(counters::totals);
    long dropped =
        totals.getOrDefault(CounterKind.DROPPED, Map.of()).values().stream()
            .mapToLong(Long::longValue)
            .sum();
    return new DeliveryStatus(
        rows.getOrDefault("pending", 0L),
        batches.getOrDefault("sealed", 0L),
        batches.getOrDefault("retry", 0L),
        batches.getOrDefault("failed", 0L),
        batches.getOrDefault("delivered", 0L),
        dropped,
        instant(health.lastSuccessAt()),
        instant(health.failingSince()),
        instant(health.lastFailureAt()),
        Optional.ofNullable(health.lastErrorCode()));
  }

  private static Optional<Instant> instant(Long ms) {
    return ms == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(ms));
  }
}
