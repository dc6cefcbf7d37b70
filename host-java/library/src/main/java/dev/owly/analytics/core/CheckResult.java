package dev.owly.analytics.core;

/** What {@code check} found: the row as it would be encoded, or the rule that rejected it. */
public record CheckResult(boolean ok, String rowJson, String rule, String field) {}
