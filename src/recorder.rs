//! Recording: one event's JSON through the filter ([`crate::schema`]), the settings' shapes and
//! the row size bound, into `storage.append`; `check` runs the same checks and stores nothing.
//!
//! The mode is read on every call, so that switching off applies to the very next event; the
//! other settings are reused for at most [`CONFIG_TTL_MS`].

use crate::delivery::Policy;
use crate::host::{Config, Host, Level, Mode, NewRow};
use crate::reason::{self, Count, LogCode, Metric, Rule};
use crate::schema::{self, Rejection};
use crate::stats::Stats;
use crate::{ids, wire};

/// How long `record` may reuse the settings other than the mode (which it reads every time):
/// lowering three strings per event through the host ABI costs more than the filter itself.
pub const CONFIG_TTL_MS: i64 = 1000;

/// The widest row id, used to bound a row's size before the database assigns its id.
const WIDEST_ID: u64 = u64::MAX;

/// The recorder's state between calls: the settings it last read and a scratch buffer.
#[derive(Debug, Default)]
pub struct Recorder {
    /// Settings for `record`, with when they were read and whether their shapes are valid.
    config_cache: Option<CachedConfig>,
    /// A reused buffer for bounding a row's encoded size (no allocation per event).
    scratch: String,
}

/// Settings as `record` last read them, checked once.
#[derive(Debug)]
struct CachedConfig {
    read_at_ms: i64,
    config: Config,
    valid: Result<(), Rejection>,
    row_bytes: usize,
}

impl Recorder {
    /// Checks one event and stores it as pending; returns the row id.
    pub fn record<H: Host>(&mut self, host: &mut H, stats: &mut Stats, event_json: &str) -> Result<u64, Rejection> {
        let outcome = self.accept(host, event_json).and_then(|row| {
            host.append(row).map_err(|_| {
                // The host's error text stays out of the verdict and the log.
                reason::log(host, Level::Error, LogCode::AppendFailed, [(Count::Rows, 1)]);
                Rejection::new(Rule::StorageUnavailable, "")
            })
        });
        match &outcome {
            Ok(_) => stats.count(Metric::RecordAccepted, 1),
            Err(r) => {
                stats.count(r.rule, 1);
                reason::log(host, Level::Debug, r.rule, [(Count::Rejected, 1)]);
            }
        }
        outcome
    }

    /// The same checks as [`Recorder::record`], storing nothing: the row as it would be
    /// encoded, with `"ID":"0"`.
    pub fn check<H: Host>(&mut self, host: &mut H, event_json: &str) -> Result<String, Rejection> {
        let row = self.accept(host, event_json)?;
        let mut out = String::with_capacity(256);
        wire::write_row(&mut out, 0, &row);
        Ok(out)
    }

    /// Drops the cached settings, so that the next event reads them again.
    pub fn forget_settings(&mut self) {
        self.config_cache = None;
    }

    /// Schema, PII filter, settings and size checks shared by `record` and `check`.
    fn accept<H: Host>(&mut self, host: &mut H, event_json: &str) -> Result<NewRow, Rejection> {
        if host.mode() == Mode::Off {
            return Err(Rejection::new(Rule::ModeOff, ""));
        }
        let accepted = schema::check_event(event_json)?;
        let now_ms = host.now_ms();
        let cached = self.recent_config(host, now_ms);
        cached.valid.clone()?;
        let row_bytes = cached.row_bytes;
        let row = NewRow {
            name: accepted.name,
            tenant: cached.config.server_id.clone(),
            product_version: cached.config.product_version.clone(),
            app_version: cached.config.app_version.clone(),
            recorded_at: now_ms.div_euclid(1000),
            attributes: accepted.attributes,
        };
        self.scratch.clear();
        wire::write_row(&mut self.scratch, WIDEST_ID, &row);
        if self.scratch.len() > row_bytes {
            return Err(Rejection::new(Rule::RowTooLarge, "event"));
        }
        Ok(row)
    }

    /// The settings, read again when older than [`CONFIG_TTL_MS`] (or when the clock went back).
    fn recent_config<H: Host>(&mut self, host: &mut H, now_ms: i64) -> &CachedConfig {
        let fresh =
            matches!(&self.config_cache, Some(c) if now_ms >= c.read_at_ms && now_ms - c.read_at_ms < CONFIG_TTL_MS);
        if !fresh {
            self.config_cache = None;
        }
        self.config_cache.get_or_insert_with(|| {
            let config = host.config();
            CachedConfig {
                read_at_ms: now_ms,
                valid: check_settings(&config),
                row_bytes: Policy::from_limits(&config.limits).row_bytes(),
                config,
            }
        })
    }
}

/// The settings values that end up in every row must have their documented shapes: a
/// misconfigured host must not leak a hostname or an e-mail address through them.
fn check_settings(config: &Config) -> Result<(), Rejection> {
    if !ids::is_server_id(&config.server_id) {
        return Err(Rejection::new(Rule::SettingsServerId, "settings"));
    }
    if !ids::is_version(&config.product_version) || !ids::is_version(&config.app_version) {
        return Err(Rejection::new(Rule::SettingsVersion, "settings"));
    }
    Ok(())
}
