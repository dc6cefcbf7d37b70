package dev.owly.analytics.core;

/**
 * WIT {@code inspect.attribute-spec}, with the kind rendered as text: {@code
 * one-of(csv|json|xlsx|sql)}, {@code integer(0..1000000000)} or {@code boolean}.
 */
public record AttributeSpec(String name, String kind, String purpose) {}
