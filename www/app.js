// Owly admin page. Talks to the admin API (docs/admin-api.md) and decodes every payload in this
// browser with the wasm-bindgen build of the same Rust core the instance runs, so what the page
// shows about a payload never depends on the server's word.
//
// Rules this file keeps: untrusted text only ever reaches the DOM through text nodes
// (createElement + append/textContent — no HTML parsing anywhere), no inline script or style
// (the CSP forbids both), and the CSRF token lives only in memory.

import init, { catalog, decode, decode_batch, verify } from './pkg/owly_core.js';

const API = '/owly/api';

/** The CSRF token of the current session; memory only, so a reload asks the server again. */
let csrf = null;

/** The last status answer, for notes such as "mode is local" on other views. */
let lastStatus = null;

// -------------------------------------------------------------------------------------------
// DOM helpers

const $ = (id) => document.getElementById(id);

/**
 * Creates an element. `props` sets attributes (`testid` → data-testid, `class`, `on<event>`
 * handlers); children are nodes or strings, and strings become text nodes — never markup.
 */
function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'testid') node.dataset.testid = value;
    else if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function show(node, visible) {
  node.hidden = !visible;
}

function setMessage(node, text) {
  node.textContent = text ?? '';
  show(node, Boolean(text));
}

const stateLine = (text, testid) => h('p', { class: 'state', role: 'status', testid }, text);
const errorLine = (text, testid) => h('p', { class: 'error', role: 'alert', testid }, text);

/** Unix milliseconds as an unambiguous UTC timestamp. */
function utc(ms) {
  if (ms === null || ms === undefined) return '—';
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

// -------------------------------------------------------------------------------------------
// The admin API

/** An API answer that is not 2xx; `code` is the API's error code (`csrf`, `forbidden`, …). */
class ApiError extends Error {
  constructor(status, code) {
    super(status === 401 ? 'You are not signed in.'
      : status === 403 && code === 'csrf' ? 'The request was refused (CSRF check). Reload the page.'
        : status === 403 ? 'You need administrator permission.'
          : `The server answered ${status}${code ? ` (${code})` : ''}.`);
    this.status = status;
    this.code = code;
  }
}

/**
 * Calls the API. 401 and 403 (other than a CSRF refusal) switch the page to the sign-in or
 * forbidden view, because a session can expire or lose its permission at any time.
 */
async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-Owly-CSRF'] = csrf;
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
    if (error.status === 401) showView('signin');
    else if (error.status === 403 && error.code !== 'csrf') showView('forbidden');
    throw error;
  }
  return data;
}

// -------------------------------------------------------------------------------------------
// Views and tabs

const VIEWS = ['signin', 'forbidden', 'admin'];

function showView(name) {
  show($('boot'), false);
  for (const view of VIEWS) show($(`view-${view}`), view === name);
  show($('who'), name === 'admin');
  if (name !== 'admin') csrf = null;
  if (name === 'signin') $('signin-user').focus();
}

const TABS = ['status', 'preview', 'ledger', 'catalog', 'paste', 'delete'];

/** What to (re)load when a tab is opened: views always show fresh server state. */
const LOADERS = {
  status: loadStatus,
  preview: loadPreview,
  ledger: loadLedger,
  catalog: loadStatsAndCatalog,
  paste: () => {},
  delete: () => {},
};

/** WAI-ARIA tabs: one tab in the Tab order (roving tabindex), arrows move between tabs. */
function selectTab(name, { focus = false } = {}) {
  for (const tab of TABS) {
    const button = $(`tab-${tab}`);
    const selected = tab === name;
    button.setAttribute('aria-selected', String(selected));
    button.tabIndex = selected ? 0 : -1;
    show($(`panel-${tab}`), selected);
    if (selected && focus) button.focus();
  }
  LOADERS[name]();
}

function onTabKey(event) {
  const current = TABS.indexOf(event.target.id.replace('tab-', ''));
  const next = {
    ArrowRight: (current + 1) % TABS.length,
    ArrowLeft: (current - 1 + TABS.length) % TABS.length,
    Home: 0,
    End: TABS.length - 1,
  }[event.key];
  if (next === undefined) return;
  event.preventDefault();
  selectTab(TABS[next], { focus: true });
}

// -------------------------------------------------------------------------------------------
// Decoded payloads (shared by the preview, ledger and paste views)

/** ✓/✗ with words: the symbol alone is not enough for screen readers or a quick glance. */
function hashVerdict(decoded, testid) {
  const ok = decoded.hashOk;
  return h('p', { class: ok ? 'verdict ok' : 'verdict bad', testid, 'data-ok': String(ok) },
    h('span', { 'aria-hidden': 'true' }, ok ? '✓ ' : '✗ '),
    ok ? 'contentHash verified in this browser: ' : 'contentHash does NOT match what this browser computes: ',
    h('code', {}, decoded.contentHash),
    ok ? '' : h('span', {}, ' (recomputed: ', h('code', {}, decoded.recomputedHash), ')'));
}

function attributesCell(attributes) {
  if (attributes.length === 0) return h('td', { class: 'muted' }, '—');
  return h('td', {}, h('ul', { class: 'attrs' },
    attributes.map((a) => h('li', {}, h('code', {}, a.key), ' = ', h('code', {}, a.value)))));
}

/** The rows of a decoded payload, one per event, in the order they are sent. */
function rowsTable(rows, testid) {
  const head = ['ID', 'Name', 'UpdateDate', 'ProductVersion', 'AppVersion', 'Attributes'];
  return h('div', { class: 'scroll' }, h('table', { testid },
    h('caption', {}, `${rows.length} row${rows.length === 1 ? '' : 's'}`),
    h('thead', {}, h('tr', {}, head.map((title) => h('th', { scope: 'col' }, title)))),
    h('tbody', {}, rows.map((row) => h('tr', {},
      h('td', { class: 'num' }, row.ID),
      h('td', {}, h('code', {}, row.Name),
        row.inCatalog ? '' : h('span', { class: 'badge bad' }, ' not in the catalogue')),
      h('td', {}, row.UpdateDate),
      h('td', {}, row.ProductVersion),
      h('td', {}, row.AppVersion),
      attributesCell(row.Attributes))))));
}

function decodedFacts(decoded) {
  const facts = [
    ['Nonce', decoded.nonce],
    ['Tenant (server id)', decoded.tenant],
    ['Rows', String(decoded.rowCount)],
  ];
  if (decoded.otp !== null) facts.push(['otp', decoded.otp]);
  return factList(facts);
}

function factList(pairs, testid) {
  return h('dl', { class: 'facts', testid },
    pairs.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value instanceof Node ? value : String(value ?? '—'))]));
}

/** Runs a wasm export that returns JSON text; its errors are real `Error`s with a message. */
function callCore(fn, ...args) {
  return JSON.parse(fn(...args));
}

// -------------------------------------------------------------------------------------------
// Status

async function loadStatus() {
  setMessage($('status-error'), '');
  try {
    renderStatus(await api('GET', '/status'));
  } catch (error) {
    setMessage($('status-error'), error.message);
  }
}

function renderStatus(status) {
  lastStatus = status;
  if (status.csrf) csrf = status.csrf;
  for (const radio of document.querySelectorAll('input[name="mode"]')) radio.checked = radio.value === status.mode;
  $('mode-state').textContent = `Current mode: ${status.mode}.`;
  $('status-facts').replaceChildren(...factList([
    ['Collector URL', status.collectorUrl ?? 'none configured'],
    ['Pending rows (recorded, not yet sealed)', String(status.pending)],
    ['Secret fingerprint (SHA-256, first 8 bytes)', status.secretFingerprint ?? 'no secret configured'],
    ['Server id', status.serverId],
    ['Product version', status.productVersion],
    ['App version', status.appVersion],
  ]).childNodes);
  const days = $('retention-days');
  if (document.activeElement !== days) days.value = String(status.retentionDays);
}

async function onModeChange(event) {
  const mode = event.target.value;
  $('mode-state').textContent = `Switching to ${mode}…`;
  try {
    await api('POST', '/mode', { mode });
    await loadStatus();
  } catch (error) {
    $('mode-state').textContent = `The mode was not changed: ${error.message}`;
    // Show the mode the server actually has, not the one that was clicked.
    if (lastStatus) for (const radio of document.querySelectorAll('input[name="mode"]')) radio.checked = radio.value === lastStatus.mode;
  }
}

async function onRetentionSubmit(event) {
  event.preventDefault();
  const state = $('retention-state');
  const days = Number($('retention-days').value);
  if (!Number.isInteger(days) || days < 0 || days > 3650) {
    state.textContent = 'Enter a whole number of days from 0 to 3650.';
    return;
  }
  state.textContent = 'Saving…';
  try {
    const answer = await api('POST', '/retention', { days });
    state.textContent = `Saved: ${answer.retentionDays} days.`;
    await loadStatus();
  } catch (error) {
    state.textContent = `Not saved: ${error.message}`;
  }
}

// -------------------------------------------------------------------------------------------
// Next payload

async function loadPreview() {
  const out = $('preview-out');
  out.replaceChildren(stateLine('Loading the next payload…', 'preview-loading'));
  let answer;
  try {
    answer = await api('GET', '/preview');
  } catch (error) {
    out.replaceChildren(errorLine(error.message, 'preview-error'));
    return;
  }
  if (!answer || answer.body === null) {
    out.replaceChildren(stateLine('No rows are pending: the next send would carry nothing.', 'preview-empty'));
    return;
  }
  out.replaceChildren(...renderBody(answer.body, 'preview'));
}

/** The raw body, then what the in-browser core makes of it. */
function renderBody(body, prefix) {
  const nodes = [h('h3', {}, 'Exact body'), h('pre', { class: 'raw', testid: `${prefix}-raw` }, body)];
  let decoded;
  try {
    decoded = callCore(decode, body);
  } catch (error) {
    nodes.push(errorLine(`This browser cannot decode it: ${error.message}`, `${prefix}-error`));
    return nodes;
  }
  if (prefix === 'preview' && lastStatus && lastStatus.mode !== 'remote') {
    nodes.push(stateLine(`The mode is ${lastStatus.mode}: this payload is only sent if the mode is remote.`, 'preview-mode-note'));
  }
  nodes.push(h('h3', {}, 'Decoded in this browser'), hashVerdict(decoded, `${prefix}-hash`),
    decodedFacts(decoded), rowsTable(decoded.rows, `${prefix}-table`));
  return nodes;
}

// -------------------------------------------------------------------------------------------
// Ledger

async function loadLedger() {
  const out = $('ledger-out');
  out.replaceChildren(stateLine('Loading the ledger…', 'ledger-loading'));
  let answer;
  try {
    answer = await api('GET', '/ledger');
  } catch (error) {
    out.replaceChildren(errorLine(error.message, 'ledger-error'));
    return;
  }
  const batches = answer.batches ?? [];
  if (batches.length === 0) {
    out.replaceChildren(stateLine('No payloads have been sealed yet.', 'ledger-empty'));
    return;
  }
  const head = ['Sealed (UTC)', 'Status', 'Attempts', 'Rows', 'Nonce', 'contentHash', 'Last HTTP status', 'Actions'];
  out.replaceChildren(h('div', { class: 'scroll' }, h('table', { testid: 'ledger-table' },
    h('caption', {}, `${batches.length} sealed payload${batches.length === 1 ? '' : 's'}, newest first`),
    h('thead', {}, h('tr', {}, head.map((title) => h('th', { scope: 'col' }, title)))),
    batches.map(ledgerRows))));
}

/** A batch is a <tbody> of two rows: the summary and its (initially hidden) decoded detail. */
function ledgerRows(batch) {
  const detailId = `ledger-detail-${batch.id}`;
  const detailCell = h('td', { colspan: '8' });
  const detail = h('tr', { id: detailId, class: 'detail', hidden: true, testid: 'ledger-detail' }, detailCell);
  const toggle = h('button', {
    type: 'button', 'aria-expanded': 'false', 'aria-controls': detailId, testid: 'ledger-decode',
    onclick: () => toggleDetail(toggle, detail, detailCell, batch),
  }, 'Decode');
  const download = h('button', { type: 'button', testid: 'ledger-download', onclick: () => downloadBatch(batch) }, 'Download JSON');
  const status = h('span', { class: `badge ${batch.status}` }, batch.status);
  return h('tbody', { testid: 'ledger-batch', 'data-batch-id': String(batch.id) },
    h('tr', {},
      h('td', { class: 'nowrap' }, utc(batch.sealedAt)),
      h('td', {}, status, batch.reason ? h('span', { class: 'muted' }, ` ${batch.reason}`) : ''),
      h('td', { class: 'num' }, String(batch.attempts)),
      h('td', { class: 'num' }, String(batch.rowCount)),
      h('td', {}, h('code', {}, batch.nonce)),
      h('td', {}, h('code', { class: 'hash' }, batch.contentHash)),
      h('td', { class: 'num' }, batch.lastStatus === null ? '—' : String(batch.lastStatus)),
      h('td', { class: 'actions' }, toggle, download)),
    detail);
}

/** Decodes lazily, on first expand: a ledger of 200 batches need not be decoded up front. */
function toggleDetail(toggle, detail, cell, batch) {
  const expand = detail.hidden;
  if (expand && !cell.hasChildNodes()) {
    try {
      const decoded = callCore(decode_batch, batch.nonce, batch.contentHash, batch.dataEncoded);
      cell.append(hashVerdict(decoded, 'ledger-hash'), decodedFacts(decoded), rowsTable(decoded.rows, 'ledger-rows'));
    } catch (error) {
      cell.append(errorLine(`This browser cannot decode it: ${error.message}`, 'ledger-decode-error'));
    }
  }
  detail.hidden = !expand;
  toggle.setAttribute('aria-expanded', String(expand));
  toggle.textContent = expand ? 'Hide' : 'Decode';
}

/** Saves the batch exactly as the API listed it, from memory: no second request to the server. */
function downloadBatch(batch) {
  const blob = new Blob([JSON.stringify(batch, null, 2) + '\n'], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: `owly-batch-${batch.id}-${batch.nonce}.json`, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  // Revoke after the click has been handled, or the download may not start.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// -------------------------------------------------------------------------------------------
// Filter report and catalogue

async function loadStatsAndCatalog() {
  renderCatalog();
  const out = $('stats-out');
  out.replaceChildren(stateLine('Loading the filter report…', 'stats-loading'));
  let answer;
  try {
    answer = await api('GET', '/stats');
  } catch (error) {
    out.replaceChildren(errorLine(error.message, 'stats-error'));
    return;
  }
  const counters = answer.counters ?? [];
  if (counters.length === 0) {
    out.replaceChildren(stateLine('Nothing has been rejected.', 'stats-empty'));
    return;
  }
  out.replaceChildren(h('table', { testid: 'stats-table' },
    h('caption', {}, 'Rejections and other counters, by rule id'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Rule id'), h('th', { scope: 'col' }, 'Count'))),
    h('tbody', {}, counters.map((c) => h('tr', {}, h('td', {}, h('code', {}, c.name)), h('td', { class: 'num' }, String(c.value)))))));
}

function allowedValues(attribute) {
  if (attribute.kind === 'oneOf') return `one of: ${attribute.values.join(', ')}`;
  if (attribute.kind === 'integer') return `an integer from ${attribute.min} to ${attribute.max}`;
  return 'true or false';
}

/** Read from the wasm module, not the server: the module's hash pins this list. */
function renderCatalog() {
  const out = $('catalog-out');
  if (out.hasChildNodes()) return;
  const events = callCore(catalog);
  out.append(...events.map((event) => h('article', { class: 'event', testid: 'catalog-event' },
    h('h3', {}, h('code', {}, event.name)),
    h('p', {}, event.purpose),
    event.segment ? h('p', { class: 'muted' }, h('code', {}, event.name.slice(event.name.indexOf('<'))), ' is one of: ',
      event.segment.join(', ')) : '',
    event.attributes.length === 0 ? h('p', { class: 'muted' }, 'No attributes.')
      : h('table', {},
        h('thead', {}, h('tr', {}, ['Attribute', 'Allowed values', 'Purpose'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, event.attributes.map((a) => h('tr', {},
          h('td', {}, h('code', {}, a.name)), h('td', {}, allowedValues(a)), h('td', {}, a.purpose))))))));
}

// -------------------------------------------------------------------------------------------
// Paste a payload

function onPasteSubmit(event) {
  event.preventDefault();
  const out = $('paste-out');
  const body = $('paste-body').value.trim();
  if (!body) {
    out.replaceChildren(errorLine('Paste a payload body first.', 'paste-error'));
    return;
  }
  const nodes = renderBody(body, 'paste');
  const secret = $('paste-secret').value.trim();
  // The otp verdict goes right after the hash verdict, and only if the body decoded at all.
  const hashAt = nodes.findIndex((n) => n.dataset && n.dataset.testid === 'paste-hash');
  if (secret && hashAt >= 0) nodes.splice(hashAt + 1, 0, otpVerdict(body, secret));
  out.replaceChildren(...nodes);
}

/** The otp check needs the secret, which stays in this browser. */
function otpVerdict(body, secretHex) {
  const timeText = $('paste-time').value.trim();
  const at = timeText === '' ? Math.floor(Date.now() / 1000) : Number(timeText);
  const drift = Number($('paste-drift').value || '1');
  if (!Number.isInteger(drift) || drift < 0 || drift > 60) {
    return errorLine('The drift must be a whole number of steps from 0 to 60.', 'paste-otp-error');
  }
  let result;
  try {
    result = callCore(verify, body, secretHex, at, drift);
  } catch (error) {
    return errorLine(`The otp cannot be checked: ${error.message}`, 'paste-otp-error');
  }
  const when = `at ${utc(at * 1000)} ±${drift} step${drift === 1 ? '' : 's'}`;
  if (result.ok) {
    return h('p', { class: 'verdict ok', testid: 'paste-otp', 'data-ok': 'true' },
      h('span', { 'aria-hidden': 'true' }, '✓ '),
      `otp verified with the secret ${when} (matched step offset ${result.stepOffset}).`);
  }
  return h('p', { class: 'verdict bad', testid: 'paste-otp', 'data-ok': 'false' },
    h('span', { 'aria-hidden': 'true' }, '✗ '), `Not verified ${when}: ${result.message}.`);
}

// -------------------------------------------------------------------------------------------
// Delete all analytics data

function onDeleteInput() {
  $('delete-submit').disabled = $('delete-confirm').value !== 'DELETE';
}

async function onDeleteSubmit(event) {
  event.preventDefault();
  const state = $('delete-state');
  if ($('delete-confirm').value !== 'DELETE') {
    state.textContent = 'Type DELETE to confirm.';
    return;
  }
  state.textContent = 'Deleting…';
  try {
    const answer = await api('POST', '/delete-all', { confirm: 'DELETE' });
    state.textContent = `Deleted ${answer.deleted} record${answer.deleted === 1 ? '' : 's'}.`;
    $('delete-confirm').value = '';
    onDeleteInput();
  } catch (error) {
    state.textContent = `Nothing was deleted: ${error.message}`;
  }
}

// -------------------------------------------------------------------------------------------
// Session

async function onSignIn(event) {
  event.preventDefault();
  const error = $('signin-error');
  setMessage(error, '');
  const username = $('signin-user').value;
  const password = $('signin-password').value;
  let answer;
  try {
    // Not through api(): a 401 here means wrong credentials, not "show the sign-in view".
    const response = await fetch(`${API}/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ username, password }),
      credentials: 'same-origin',
      cache: 'no-store',
    });
    if (response.status === 401) {
      setMessage(error, 'Wrong username or password.');
      return;
    }
    if (!response.ok) {
      setMessage(error, `The server answered ${response.status}.`);
      return;
    }
    answer = await response.json();
  } catch {
    setMessage(error, 'The server cannot be reached.');
    return;
  }
  $('signin-password').value = '';
  if (!answer.admin) {
    showView('forbidden');
    return;
  }
  csrf = answer.csrf;
  enterAdmin();
}

async function onLogout() {
  try {
    await api('POST', '/logout', {});
  } catch {
    // Signed out either way, as far as this page is concerned.
  }
  showView('signin');
}

function enterAdmin() {
  showView('admin');
  selectTab('status');
}

// -------------------------------------------------------------------------------------------
// Start

function wire() {
  $('signin-form').addEventListener('submit', onSignIn);
  $('switch-user').addEventListener('click', () => showView('signin'));
  $('logout').addEventListener('click', onLogout);
  for (const tab of TABS) {
    $(`tab-${tab}`).addEventListener('click', () => selectTab(tab));
    $(`tab-${tab}`).addEventListener('keydown', onTabKey);
  }
  for (const radio of document.querySelectorAll('input[name="mode"]')) radio.addEventListener('change', onModeChange);
  $('retention-form').addEventListener('submit', onRetentionSubmit);
  $('preview-refresh').addEventListener('click', loadPreview);
  $('ledger-refresh').addEventListener('click', loadLedger);
  $('paste-form').addEventListener('submit', onPasteSubmit);
  $('delete-confirm').addEventListener('input', onDeleteInput);
  $('delete-form').addEventListener('submit', onDeleteSubmit);
}

async function start() {
  wire();
  try {
    await init();
  } catch (error) {
    show($('boot'), false);
    setMessage($('boot-error'), `The Owly core could not be loaded: ${error.message}`);
    return;
  }
  try {
    const status = await api('GET', '/status');
    renderStatus(status);
    enterAdmin();
  } catch (error) {
    // 401/403 already switched the view; anything else is shown as it is.
    if (error instanceof ApiError && (error.status === 401 || (error.status === 403 && error.code !== 'csrf'))) return;
    show($('boot'), false);
    setMessage($('boot-error'), error.message);
  }
}

document.body.dataset.ready = 'false';
start().finally(() => {
  // Tests wait for this instead of guessing when the first render is done.
  document.body.dataset.ready = 'true';
});
