package dev.owly.analytics.admin;

/** What a request may do with the admin API, as decided by a {@link PermissionCheck}. */
public enum Access {
  /** Not signed in: every API call but sign-in answers 401. */
  ANONYMOUS,
  /** Signed in, not an administrator: every admin call answers 403. */
  USER,
  /** The host's administrator (in Jira/Confluence: a system administrator). */
  ADMIN
}
