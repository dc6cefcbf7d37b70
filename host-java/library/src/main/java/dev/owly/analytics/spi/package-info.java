/**
 * The host capabilities the core imports (one interface per WIT import interface, see {@code
 * wit/}). Implementations live in their own packages (storage, transport, ...).
 */
package dev.owly.analytics.spi;
