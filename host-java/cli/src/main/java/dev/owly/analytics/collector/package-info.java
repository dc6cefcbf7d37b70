/**
 * The reference collector: the vendor's side of wire format v1. {@code POST /collect} reads a
 * bounded body, verifies it with the core (content hash, OCRA otp within ±1 step of the tenant's
 * secret), de-duplicates by nonce, rate-limits otp failures per tenant and stores the accepted rows
 * in its own tables ({@code OWLY_COLLECTOR_*}). It answers with a tiny status JSON and never echoes
 * content.
 */
package dev.owly.analytics.collector;
