package dev.owly.analytics.core;

/**
 * What {@code record} did: accepted with a row id, or rejected naming the rule and field. A runtime
 * failure is a rejection with rule {@code host.error}.
 */
public record Verdict(boolean accepted, long rowId, String rule, String field) {}
