package dev.owly.analytics.abi;

import dev.owly.analytics.spi.Batch;
import dev.owly.analytics.spi.Config;
import dev.owly.analytics.spi.Counter;
import dev.owly.analytics.spi.Header;
import dev.owly.analytics.spi.Level;
import dev.owly.analytics.spi.Limits;
import dev.owly.analytics.spi.Mode;
import dev.owly.analytics.spi.NewBatch;
import dev.owly.analytics.spi.NewRow;
import dev.owly.analytics.spi.Request;
import dev.owly.analytics.spi.Response;
import dev.owly.analytics.spi.Row;
import dev.owly.analytics.spi.Settlement;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts between the ABI's generic values ({@link CanonicalAbi}) and the {@code spi} records, for
 * the types in {@link WitTypes}.
 */
public final class SpiCodec {
  private SpiCodec() {}

  // ---- guest → host (lifted values)

  public static NewRow newRow(Object v) {
    Object[] f = (Object[]) v;
    return new NewRow(
        (String) f[0], (String) f[1], (String) f[2], (String) f[3], (Long) f[4], (String) f[5]);
  }

  public static NewBatch newBatch(Object v) {
    Object[] f = (Object[]) v;
    return new NewBatch((Long) f[0], (String) f[1], (String) f[2], (long[]) f[3], (Long) f[4]);
  }

  public static Request request(Object v) {
    Object[] f = (Object[]) v;
    List<?> items = (List<?>) f[1];
    List<Header> headers = new ArrayList<>(items.size());
    for (Object item : items) {
      Object[] h = (Object[]) item;
      headers.add(new Header((String) h[0], (String) h[1]));
    }
    return new Request((String) f[0], headers);
  }

  public static Settlement settlement(Object v) {
    Case c = (Case) v;
    return switch (c.index()) {
      case 0 -> new Settlement.Delivered((Integer) c.payload());
      case 1 -> {
        Object[] r = (Object[]) c.payload();
        yield new Settlement.Retry((Long) r[0], optionalU16(r[1]));
      }
      default -> {
        Object[] r = (Object[]) c.payload();
        yield new Settlement.Failed(optionalU16(r[0]), (String) r[1]);
      }
    };
  }

  private static Integer optionalU16(Object v) {
    Case c = (Case) v;
    return c.index() == 0 ? null : (Integer) c.payload();
  }

  public static Level level(Object v) {
    return Level.values()[((Case) v).index()];
  }

  public static List<Counter> counters(Object v) {
    List<?> items = (List<?>) v;
    List<Counter> out = new ArrayList<>(items.size());
    for (Object item : items) {
      Object[] f = (Object[]) item;
      out.add(new Counter((String) f[0], (Long) f[1]));
    }
    return out;
  }

  // ---- host → guest (values to lower)

  public static Object[] newRow(NewRow r) {
    return new Object[] {
      r.name(), r.tenant(), r.productVersion(), r.appVersion(), r.recordedAt(), r.attributes()
    };
  }

  public static List<Object> rows(List<Row> rows) {
    List<Object> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      out.add(new Object[] {r.id(), newRow(r.data())});
    }
    return out;
  }

  public static List<Object> batches(List<Batch> batches) {
    List<Object> out = new ArrayList<>(batches.size());
    for (Batch b : batches) {
      out.add(
          new Object[] {
            b.id(), b.nonce(), b.dataEncoded(), b.contentHash(), b.rowCount(), b.attempts()
          });
    }
    return out;
  }

  public static Object[] response(Response r) {
    return new Object[] {
      r.status(), r.retryAfter() == null ? Case.NONE : Case.some(r.retryAfter())
    };
  }

  public static Case mode(Mode m) {
    return new Case(m.ordinal(), null);
  }

  public static Object[] config(Config c) {
    Limits l = c.limits() == null ? Limits.defaults() : c.limits();
    return new Object[] {
      mode(c.mode()),
      c.serverId(),
      c.productVersion(),
      c.appVersion(),
      c.collectorConfigured(),
      c.retentionDays(),
      new Object[] {
        l.maxBatchRows(),
        l.maxPayloadBytes(),
        l.maxRowBytes(),
        l.maxBatchesPerFlush(),
        l.leaseMs(),
        l.retryBaseMs(),
        l.retryCapMs()
      }
    };
  }
}
