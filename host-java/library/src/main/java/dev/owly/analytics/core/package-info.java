/**
 * The facade a Data Center plugin uses: {@link dev.owly.analytics.core.Core} and the records of its
 * results. Rejections are data; runtime failures of {@code record}/{@code check} become a rejection
 * with rule {@code host.error}.
 */
package dev.owly.analytics.core;
