/**
 * The core's {@code settings} import: {@link dev.owly.analytics.settings.JdbcSettings} over the
 * {@code AO_OWLY_SETTING_AO} table (read fresh on every call, so a mode switch applies before the
 * next send) and {@link dev.owly.analytics.settings.FixedSettings} held in memory.
 */
package dev.owly.analytics.settings;
