package dev.owly.analytics.core;

import java.util.List;

/** WIT {@code inspect.event-spec}; {@code segment} is null for an event without placeholder. */
public record EventSpec(
    String name, List<String> segment, String purpose, List<AttributeSpec> attributes) {}
