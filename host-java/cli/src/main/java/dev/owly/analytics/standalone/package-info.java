/**
 * What only the standalone host needs (the CLI, the demo, the reference collector): data sources
 * for the embedded H2 database and PostgreSQL URLs. A Data Center plugin passes its own DataSource
 * and never loads these drivers.
 */
package dev.owly.analytics.standalone;
