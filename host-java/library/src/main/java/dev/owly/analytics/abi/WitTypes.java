package dev.owly.analytics.abi;

import static dev.owly.analytics.abi.WitType.BOOL;
import static dev.owly.analytics.abi.WitType.S32;
import static dev.owly.analytics.abi.WitType.S64;
import static dev.owly.analytics.abi.WitType.STRING;
import static dev.owly.analytics.abi.WitType.U16;
import static dev.owly.analytics.abi.WitType.U32;
import static dev.owly.analytics.abi.WitType.U64;
import static dev.owly.analytics.abi.WitType.U8;
import static dev.owly.analytics.abi.WitType.enumOf;
import static dev.owly.analytics.abi.WitType.list;
import static dev.owly.analytics.abi.WitType.option;
import static dev.owly.analytics.abi.WitType.record;
import static dev.owly.analytics.abi.WitType.result;
import static dev.owly.analytics.abi.WitType.variant;

import java.util.List;

/**
 * Every type and function of world {@code owly:analytics/core@0.2.0} ({@code wit/}) as Canonical
 * ABI descriptors, in one place. Keep in step with the WIT files: the layout tests pin each one.
 */
public final class WitTypes {
  private WitTypes() {}

  /** The package as core module names spell it. */
  public static final String PACKAGE = "owly:analytics";

  public static final String VERSION = "0.2.0";

  // ---- types
  public static final WitType.Variant MODE = enumOf("off", "local", "remote");
  public static final WitType.Rec NEW_ROW =
      record(
          "name", STRING,
          "tenant", STRING,
          "product-version", STRING,
          "app-version", STRING,
          "recorded-at", S64,
          "attributes", STRING);
  public static final WitType.Rec ROW = record("id", U64, "data", NEW_ROW);
  public static final WitType.Rec BATCH =
      record(
          "id", U64,
          "nonce", U64,
          "data-encoded", STRING,
          "content-hash", STRING,
          "row-count", U32,
          "attempts", U32);
  public static final WitType.Rec COUNTER = record("name", STRING, "value", U64);

  // ---- storage
  public static final WitType.Variant STORAGE_ERROR =
      variant("unavailable", STRING, "lost-claim", null, "other", STRING);
  public static final WitType.Rec NEW_BATCH =
      record(
          "nonce", U64,
          "data-encoded", STRING,
          "content-hash", STRING,
          "row-ids", list(U64),
          "now-ms", S64);
  public static final WitType.Rec RETRY_AT = record("at-ms", S64, "status", option(U16));
  public static final WitType.Rec FAILURE = record("status", option(U16), "reason", STRING);
  public static final WitType.Variant SETTLEMENT =
      variant("delivered", U16, "retry", RETRY_AT, "failed", FAILURE);

  // ---- transport
  public static final WitType.Rec HEADER = record("name", STRING, "value", STRING);
  public static final WitType.Rec REQUEST = record("body", STRING, "headers", list(HEADER));
  public static final WitType.Rec RESPONSE = record("status", U16, "retry-after", option(STRING));
  public static final WitType.Variant TRANSPORT_ERROR =
      variant(
          "not-configured",
          null,
          "timeout",
          null,
          "connect",
          STRING,
          "other",
          STRING,
          "stopped",
          null);

  // ---- settings
  public static final WitType.Rec LIMITS =
      record(
          "max-batch-rows", U32,
          "max-payload-bytes", U32,
          "max-row-bytes", U32,
          "max-batches-per-flush", U32,
          "lease-ms", U32,
          "retry-base-ms", U32,
          "retry-cap-ms", U32);
  public static final WitType.Rec CONFIG =
      record(
          "mode", MODE,
          "server-id", STRING,
          "product-version", STRING,
          "app-version", STRING,
          "collector-configured", BOOL,
          "retention-days", U32,
          "limits", LIMITS);

  // ---- log
  public static final WitType.Variant LEVEL = enumOf("debug", "info", "warn", "error");

  // ---- recorder
  public static final WitType.Rec REJECTION = record("rule", STRING, "field", STRING);

  // ---- delivery
  public static final WitType.Variant STOP_REASON =
      enumOf(
          "mode-off",
          "mode-local",
          "collector-none",
          "secret-weak",
          "storage-unavailable",
          "mode-changed",
          "entropy-invalid",
          "transport-stopped");
  public static final WitType.Rec FLUSH_REPORT =
      record(
          "stopped", option(STOP_REASON),
          "sealed", U32,
          "delivered", U32,
          "rows-delivered", U32,
          "retrying", U32,
          "failed", U32,
          "quarantined", U32,
          "purged", U64);

  // ---- inspect
  public static final WitType.Variant PAYLOAD_ERROR =
      variant(
          "malformed", STRING,
          "too-large", null,
          "hash-mismatch", null,
          "otp-mismatch", null,
          "weak-secret", null);
  public static final WitType.Rec DECODED =
      record(
          "nonce", U64,
          "content-hash", STRING,
          "hash-ok", BOOL,
          "otp", STRING,
          "data-json", STRING,
          "row-count", U32,
          "tenant", STRING);
  public static final WitType.Rec VERIFIED =
      record(
          "nonce", U64,
          "content-hash", STRING,
          "tenant", STRING,
          "row-count", U32,
          "step-offset", S32);
  public static final WitType.Rec INT_RANGE = record("min", S64, "max", S64);
  public static final WitType.Variant VALUE_KIND =
      variant("one-of", list(STRING), "integer", INT_RANGE, "boolean", null);
  public static final WitType.Rec ATTRIBUTE_SPEC =
      record("name", STRING, "kind", VALUE_KIND, "purpose", STRING);
  public static final WitType.Rec EVENT_SPEC =
      record(
          "name",
          STRING,
          "segment",
          option(list(STRING)),
          "purpose",
          STRING,
          "attributes",
          list(ATTRIBUTE_SPEC));

  // ---------------------------------------------------------------- imports

  /** Imports, by interface: storage. */
  public static final FuncType STORAGE_APPEND =
      FuncType.of("storage", "append", result(U64, STORAGE_ERROR), NEW_ROW);

  public static final FuncType STORAGE_CLAIM =
      FuncType.of("storage", "claim", result(list(ROW), STORAGE_ERROR), U32, S64, S64);
  public static final FuncType STORAGE_PEEK =
      FuncType.of("storage", "peek", result(list(ROW), STORAGE_ERROR), U32);
  public static final FuncType STORAGE_SEAL =
      FuncType.of("storage", "seal", result(U64, STORAGE_ERROR), NEW_BATCH);
  public static final FuncType STORAGE_DUE =
      FuncType.of("storage", "due", result(list(BATCH), STORAGE_ERROR), U32, S64, S64);
  public static final FuncType STORAGE_SETTLE =
      FuncType.of("storage", "settle", result(null, STORAGE_ERROR), U64, S64, SETTLEMENT);
  public static final FuncType STORAGE_QUARANTINE =
      FuncType.of("storage", "quarantine", result(null, STORAGE_ERROR), list(U64), STRING);
  public static final FuncType STORAGE_PURGE =
      FuncType.of("storage", "purge", result(U64, STORAGE_ERROR), S64);
  public static final FuncType TRANSPORT_READY =
      FuncType.of("transport", "ready", result(null, TRANSPORT_ERROR));
  public static final FuncType TRANSPORT_SEND =
      FuncType.of("transport", "send", result(RESPONSE, TRANSPORT_ERROR), REQUEST);
  public static final FuncType CLOCK_NOW_MS = FuncType.of("clock", "now-ms", S64);
  public static final FuncType ENTROPY_RANDOM_BYTES =
      FuncType.of("entropy", "random-bytes", list(U8), U32);
  public static final FuncType SETTINGS_GET = FuncType.of("settings", "get", CONFIG);
  public static final FuncType SETTINGS_MODE = FuncType.of("settings", "current-mode", MODE);
  public static final FuncType SETTINGS_SECRET = FuncType.of("settings", "secret", list(U8));
  public static final FuncType LOG_EMIT =
      FuncType.of("log", "emit", null, LEVEL, STRING, list(COUNTER));

  public static final List<FuncType> IMPORTS =
      List.of(
          STORAGE_APPEND,
          STORAGE_CLAIM,
          STORAGE_PEEK,
          STORAGE_SEAL,
          STORAGE_DUE,
          STORAGE_SETTLE,
          STORAGE_QUARANTINE,
          STORAGE_PURGE,
          TRANSPORT_READY,
          TRANSPORT_SEND,
          CLOCK_NOW_MS,
          ENTROPY_RANDOM_BYTES,
          SETTINGS_GET,
          SETTINGS_MODE,
          SETTINGS_SECRET,
          LOG_EMIT);

  // ---------------------------------------------------------------- exports

  public static final FuncType RECORDER_RECORD =
      FuncType.of("recorder", "record", result(U64, REJECTION), STRING);
  public static final FuncType RECORDER_CHECK =
      FuncType.of("recorder", "check", result(STRING, REJECTION), STRING);
  public static final FuncType RECORDER_STATS = FuncType.of("recorder", "stats", list(COUNTER));
  public static final FuncType DELIVERY_FLUSH = FuncType.of("delivery", "flush", FLUSH_REPORT);
  public static final FuncType DELIVERY_PREVIEW =
      FuncType.of("delivery", "preview", result(option(STRING), STORAGE_ERROR));
  public static final FuncType INSPECT_DECODE =
      FuncType.of("inspect", "decode", result(DECODED, PAYLOAD_ERROR), STRING);
  public static final FuncType INSPECT_VERIFY =
      FuncType.of("inspect", "verify", result(VERIFIED, PAYLOAD_ERROR), STRING, list(U8), S64, U32);
  public static final FuncType INSPECT_CATALOG =
      FuncType.of("inspect", "catalog", list(EVENT_SPEC));

  public static final List<FuncType> EXPORTS =
      List.of(
          RECORDER_RECORD,
          RECORDER_CHECK,
          RECORDER_STATS,
          DELIVERY_FLUSH,
          DELIVERY_PREVIEW,
          INSPECT_DECODE,
          INSPECT_VERIFY,
          INSPECT_CATALOG);

  /** The core module's import module name, e.g. {@code owly:analytics/storage@0.2.0}. */
  public static String importModule(FuncType f) {
    return PACKAGE + "/" + f.iface + "@" + VERSION;
  }

  /** The core module's export name, e.g. {@code owly:analytics/recorder@0.2.0#record}. */
  public static String exportName(FuncType f) {
    return PACKAGE + "/" + f.iface + "@" + VERSION + "#" + f.name;
  }

  /** The post-return export for an export whose result owns memory. */
  public static String postReturnName(FuncType f) {
    return "cabi_post_" + exportName(f);
  }
}
