package dev.owly.analytics.cli;

import dev.owly.analytics.spi.Batch;
import dev.owly.analytics.spi.NewBatch;
import dev.owly.analytics.spi.NewRow;
import dev.owly.analytics.spi.Row;
import dev.owly.analytics.spi.Settlement;
import dev.owly.analytics.spi.Storage;
import dev.owly.analytics.spi.StorageException;
import java.util.List;

/** Storage for commands that never store (filter, decode, verify): every call is refused. */
final class OfflineStorage implements Storage {
  private static StorageException refused() {
    return new StorageException(StorageException.Kind.UNAVAILABLE, "cli.no-storage");
  }

  @Override
  public long append(NewRow row) {
    throw refused();
  }

  @Override
  public List<Row> claim(int limit, long nowMs, long leaseUntilMs) {
    throw refused();
  }

  @Override
  public List<Row> peek(int limit) {
    throw refused();
  }

  @Override
  public long seal(NewBatch batch) {
    throw refused();
  }

  @Override
  public List<Batch> due(int limit, long nowMs, long leaseUntilMs) {
    throw refused();
  }

  @Override
  public void settle(long batchId, long nowMs, Settlement outcome) {
    throw refused();
  }

  @Override
  public void quarantine(long[] rowIds, String rule) {
    throw refused();
  }

  @Override
  public long purge(long beforeMs) {
    throw refused();
  }
}
