/**
 * The core's {@code transport} import: {@link dev.owly.analytics.transport.HttpsTransport} POSTs
 * one exact body over HTTPS with certificate verification, no redirects, and the JVM's proxy
 * settings. Plain HTTP only to loopback.
 */
package dev.owly.analytics.transport;
