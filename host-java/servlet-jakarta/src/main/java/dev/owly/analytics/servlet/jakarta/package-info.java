/**
 * The admin API as a {@code jakarta.servlet} 6.0 servlet (Jira 11, Confluence 10: Platform 8):
 * {@link dev.owly.analytics.servlet.jakarta.OwlyAdminServlet} hands each request to the library's
 * core; {@link dev.owly.analytics.servlet.jakarta.ServletPermissionCheck} is how a plugin decides
 * access with its host's user manager. The same classes for {@code javax.servlet} are in {@code
 * owly-servlet-javax}.
 */
package dev.owly.analytics.servlet.jakarta;
