package dev.owly.analytics.core;

import dev.owly.analytics.spi.Batch;
import dev.owly.analytics.spi.NewBatch;
import dev.owly.analytics.spi.NewRow;
import dev.owly.analytics.spi.Row;
import dev.owly.analytics.spi.Settlement;
import dev.owly.analytics.spi.Storage;
import dev.owly.analytics.spi.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@link Storage} in memory, one lock per call (each call is its own "transaction"). */
final class InMemoryStorage implements Storage {
  enum RowState {
    PENDING,
    SEALED,
    REJECTED
  }

  static final class StoredRow {
    final long id;
    final NewRow data;
    RowState state = RowState.PENDING;
    long leaseUntil = Long.MIN_VALUE;
    long batchId;

    StoredRow(long id, NewRow data) {
      this.id = id;
      this.data = data;
    }
  }

  static final class StoredBatch {
    final long id;
    final NewBatch sealed;
    String state = "sealed";
    long dueAt;
    long leaseUntil = Long.MIN_VALUE;
    int attempts;
    long settledAt;
    Settlement last;

    StoredBatch(long id, NewBatch sealed) {
      this.id = id;
      this.sealed = sealed;
      this.dueAt = sealed.nowMs();
    }
  }

  final Map<Long, StoredRow> rows = new TreeMap<>();
  final Map<Long, StoredBatch> batches = new TreeMap<>();
  private long nextRow = 1;
  private long nextBatch = 1;
  volatile boolean unavailable;
  volatile RuntimeException failSealWith;
  volatile long appendDelayMs;
  volatile boolean appendSawInterrupt;

  private void checkUp() {
    if (unavailable) {
      throw new StorageException(StorageException.Kind.UNAVAILABLE, "db.down");
    }
  }

  @Override
  public synchronized long append(NewRow row) {
    checkUp();
    if (appendDelayMs > 0) {
      try {
        Thread.sleep(appendDelayMs);
      } catch (InterruptedException e) {
        appendSawInterrupt = true;
        Thread.currentThread().interrupt();
      }
    }
    long id = nextRow++;
    rows.put(id, new StoredRow(id, row));
    return id;
  }

  @Override
  public synchronized List<Row> claim(int limit, long nowMs, long leaseUntilMs) {
    checkUp();
    List<Row> out = new ArrayList<>();
    for (StoredRow r : rows.values()) {
      if (out.size() >= limit) {
        break;
      }
      if (r.state == RowState.PENDING && r.leaseUntil < nowMs) {
        r.leaseUntil = leaseUntilMs;
        out.add(new Row(r.id, r.data));
      }
    }
    return out;
  }

  @Override
  public synchronized List<Row> peek(int limit) {
    checkUp();
    List<Row> out = new ArrayList<>();
    for (StoredRow r : rows.values()) {
      if (out.size() >= limit) {
        break;
      }
      if (r.state == RowState.PENDING) {
        out.add(new Row(r.id, r.data));
      }
    }
    return out;
  }

  @Override
  public synchronized long seal(NewBatch batch) {
    checkUp();
    if (failSealWith != null) {
      throw failSealWith;
    }
    for (long id : batch.rowIds()) {
      StoredRow r = rows.get(id);
      if (r == null || r.state != RowState.PENDING || r.leaseUntil < batch.nowMs()) {
        throw new StorageException(StorageException.Kind.LOST_CLAIM, "lost");
      }
    }
    long id = nextBatch++;
    batches.put(id, new StoredBatch(id, batch));
    for (long rowId : batch.rowIds()) {
      StoredRow r = rows.get(rowId);
      r.state = RowState.SEALED;
      r.batchId = id;
    }
    return id;
  }

  @Override
  public synchronized List<Batch> due(int limit, long nowMs, long leaseUntilMs) {
    checkUp();
    List<Batch> out = new ArrayList<>();
    for (StoredBatch b : batches.values()) {
      if (out.size() >= limit) {
        break;
      }
      if (b.state.equals("sealed") && b.dueAt <= nowMs && b.leaseUntil < nowMs) {
        b.leaseUntil = leaseUntilMs;
        NewBatch s = b.sealed;
        out.add(
            new Batch(
                b.id, s.nonce(), s.dataEncoded(), s.contentHash(), s.rowIds().length, b.attempts));
      }
    }
    return out;
  }

  @Override
  public synchronized void settle(long batchId, long nowMs, Settlement outcome) {
    checkUp();
    StoredBatch b = batches.get(batchId);
    if (b == null) {
      throw new StorageException(StorageException.Kind.OTHER, "no.batch");
    }
    b.attempts++;
    b.last = outcome;
    b.settledAt = nowMs;
    b.leaseUntil = Long.MIN_VALUE;
    if (outcome instanceof Settlement.Delivered) {
      b.state = "delivered";
    } else if (outcome instanceof Settlement.Retry r) {
      b.state = "sealed";
      b.dueAt = r.atMs();
    } else {
      b.state = "failed";
    }
  }

  @Override
  public synchronized void quarantine(long[] rowIds, String rule) {
    checkUp();
    for (long id : rowIds) {
      StoredRow r = rows.get(id);
      if (r != null) {
        r.state = RowState.REJECTED;
      }
    }
  }

  @Override
  public synchronized long purge(long beforeMs) {
    checkUp();
    return 0;
  }

  synchronized long pending() {
    return rows.values().stream().filter(r -> r.state == RowState.PENDING).count();
  }
}
