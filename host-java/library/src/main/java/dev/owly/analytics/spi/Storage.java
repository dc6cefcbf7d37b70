package dev.owly.analytics.spi;

import java.util.List;

/** WIT {@code storage}: every method is one transaction; throws {@link StorageException}. */
public interface Storage {
  long append(NewRow row);

  List<Row> claim(int limit, long nowMs, long leaseUntilMs);

  List<Row> peek(int limit);

  long seal(NewBatch batch);

  List<Batch> due(int limit, long nowMs, long leaseUntilMs);

  void settle(long batchId, long nowMs, Settlement outcome);

  void quarantine(long[] rowIds, String rule);

  long purge(long beforeMs);
}
