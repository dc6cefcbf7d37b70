/**
 * The Component Model Canonical ABI for world {@code owly:analytics/core@0.2.0}, driven by type
 * descriptors: {@link dev.owly.analytics.abi.WitType} (size, alignment, flattening), {@link
 * dev.owly.analytics.abi.CanonicalAbi} (lift/lower/load/store and the call conventions of exports
 * and imports), {@link dev.owly.analytics.abi.WitTypes} (every type and function of the world, in
 * one place) and {@link dev.owly.analytics.abi.SpiCodec} (the {@code spi} records). The guest is
 * untrusted: every pointer, length, discriminant and byte it hands over is checked.
 */
package dev.owly.analytics.abi;
