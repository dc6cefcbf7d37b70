/** Small HTTP helpers shared by the collector and the admin API (both on the JDK HTTP server). */
package dev.owly.analytics.http;
