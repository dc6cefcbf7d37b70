/**
 * The {@code owly} command line ({@code java -jar owly.jar <command>}): {@code filter}, {@code
 * decode}, {@code verify}, {@code collector} and {@code demo}. Runs without any licence check, so
 * stored payloads stay readable.
 */
package dev.owly.analytics.cli;
