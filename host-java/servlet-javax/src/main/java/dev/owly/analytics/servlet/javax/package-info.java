/**
 * The admin API as a {@code javax.servlet} 4.0 servlet (Jira 10, Confluence 9: Platform 7): {@link
 * dev.owly.analytics.servlet.javax.OwlyAdminServlet} hands each request to the library's core;
 * {@link dev.owly.analytics.servlet.javax.ServletPermissionCheck} is how a plugin decides access
 * with its host's user manager. The same classes for {@code jakarta.servlet} are in {@code
 * owly-servlet-jakarta}.
 */
package dev.owly.analytics.servlet.javax;
