/**
 * The admin API and page: what leaves the instance, the mode switch, retention and deletion, behind
 * a pluggable {@link dev.owly.analytics.admin.PermissionCheck} (401 anonymous, 403
 * non-administrators, CSRF token per session). The contract is {@code docs/admin-api.md}.
 */
package dev.owly.analytics.admin;
