// The admin API (docs/admin-api.md). The CSRF token lives only in memory, so a reload asks the
// server again; 401 and 403 hand over to the session view through `onAccessLost`.

const API = '/owly/api';

export const session = {
  /** The CSRF token of the current session. */
  csrf: null,
  /** The last status answer, for notes such as "mode is local" on other views. */
  lastStatus: null,
};

let accessLost = () => {};

/** Who switches the page to the sign-in or forbidden view (set once by app.js). */
export function onAccessLost(handler) {
  accessLost = handler;
}

/** An API answer that is not 2xx; `code` is the API's error code (`csrf`, `forbidden`, …). */
export class ApiError extends Error {
  constructor(status, code) {
    super(status === 401 ? 'You are not signed in.'
      : status === 403 && code === 'csrf' ? 'The request was refused (CSRF check). Reload the page.'
        : status === 403 ? 'You need administrator permission.'
          : `The server answered ${status}${code ? ` (${code})` : ''}.`);
    this.status = status;
    this.code = code;
  }

  /** 401, or 403 other than a CSRF refusal: the page has already switched views. */
  get accessLost() {
    return this.status === 401 || (this.status === 403 && this.code !== 'csrf');
  }
}

/**
 * Calls the API. 401 and 403 (other than a CSRF refusal) switch the page to the sign-in or
 * forbidden view, because a session can expire or lose its permission at any time.
 */
export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && session.csrf) headers['X-Owly-CSRF'] = session.csrf;
  const response = await fetch(API + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
  });
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null; // a proxy's HTML error page, say; the status still tells what happened
  }
  if (!response.ok) {
    const error = new ApiError(response.status, data && typeof data.error === 'string' ? data.error : null);
    if (error.status === 401) accessLost('signin');
    else if (error.accessLost) accessLost('forbidden');
    throw error;
  }
  return data;
}

/** Sign-in is not through api(): a 401 here means wrong credentials, not "show the sign-in view". */
export async function signIn(username, password) {
  const response = await fetch(`${API}/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ username, password }),
    credentials: 'same-origin',
    cache: 'no-store',
  });
  return { status: response.status, answer: response.ok ? await response.json() : null };
}
