/**
 * The API a Data Center plugin uses: {@link dev.owly.analytics.api.Owly}. Three lines to record a
 * feature-usage event; the core decides what may leave, the host only stores and sends.
 */
package dev.owly.analytics.api;
