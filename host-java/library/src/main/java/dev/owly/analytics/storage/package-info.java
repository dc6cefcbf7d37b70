/**
 * JDBC storage for the core's {@code storage} import: the event table, the ledger of sealed batches
 * and the settings table, named like ActiveObjects tables so they sit beside the app's own tables.
 * H2 (embedded, the default) and PostgreSQL; several nodes may share one database.
 */
package dev.owly.analytics.storage;
