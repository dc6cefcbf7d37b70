/** Small HTTP helpers shared by the collector and the admin API: bounded bodies, content types. */
package dev.owly.analytics.http;
