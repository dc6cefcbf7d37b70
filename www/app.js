// Owly admin page, the entry module: sign-in, the tabs, and the views (one module per view in
// views/, shared helpers in lib/, chart helpers in charts/). Talks to the admin API
// (docs/admin-api.md) and decodes every payload in this browser with the wasm-bindgen build of
// the same Rust core the instance runs, so what the page shows about a payload never depends on
// the server's word.
//
// Rules every module keeps: untrusted text only ever reaches the DOM through text nodes
// (createElement/createElementNS + append/textContent — no HTML parsing anywhere), no inline
// script or style (the CSP forbids both), and the CSRF token lives only in memory.
//
// Adding a view: a tab button and a tabpanel in index.html (ids tab-<id> and panel-<id>), a
// module in views/ exporting { id, load, wire } as default, and one entry in VIEWS below.

import { api, onAccessLost, session, signIn } from './lib/api.js';
import { init } from './lib/core.js';
import { $, setMessage, show } from './lib/dom.js';
import activity from './views/activity.js';
import catalog from './views/catalog.js';
import remove from './views/delete.js';
import ledger from './views/ledger.js';
import paste from './views/paste.js';
import preview from './views/preview.js';
import status, { render as renderStatus } from './views/status.js';

/** The tabs, in the order of index.html. */
const VIEWS = [status, activity, preview, ledger, catalog, paste, remove];
const TABS = VIEWS.map((v) => v.id);

const SCREENS = ['signin', 'forbidden', 'admin'];

function showScreen(name) {
  show($('boot'), false);
  for (const screen of SCREENS) show($(`view-${screen}`), screen === name);
  show($('who'), name === 'admin');
  if (name !== 'admin') session.csrf = null;
  if (name === 'signin') $('signin-user').focus();
}

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
  // Views always show fresh server state when opened.
  VIEWS[TABS.indexOf(name)].load();
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

async function onSignIn(event) {
  event.preventDefault();
  const error = $('signin-error');
  setMessage(error, '');
  let result;
  try {
    result = await signIn($('signin-user').value, $('signin-password').value);
  } catch {
    setMessage(error, 'The server cannot be reached.');
    return;
  }
  if (result.status === 401) {
    setMessage(error, 'Wrong username or password.');
    return;
  }
  if (!result.answer) {
    setMessage(error, `The server answered ${result.status}.`);
    return;
  }
  $('signin-password').value = '';
  if (!result.answer.admin) {
    showScreen('forbidden');
    return;
  }
  session.csrf = result.answer.csrf;
  enterAdmin();
}

async function onLogout() {
  try {
    await api('POST', '/logout', {});
  } catch {
    // Signed out either way, as far as this page is concerned.
  }
  showScreen('signin');
}

function enterAdmin() {
  showScreen('admin');
  selectTab('status');
}

function wire() {
  onAccessLost(showScreen);
  $('signin-form').addEventListener('submit', onSignIn);
  $('switch-user').addEventListener('click', () => showScreen('signin'));
  $('logout').addEventListener('click', onLogout);
  for (const tab of TABS) {
    $(`tab-${tab}`).addEventListener('click', () => selectTab(tab));
    $(`tab-${tab}`).addEventListener('keydown', onTabKey);
  }
  for (const view of VIEWS) view.wire();
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
    renderStatus(await api('GET', '/status'));
    enterAdmin();
  } catch (error) {
    // 401/403 already switched the view; anything else is shown as it is.
    if (error.accessLost) return;
    show($('boot'), false);
    setMessage($('boot-error'), error.message);
  }
}

document.body.dataset.ready = 'false';
start().finally(() => {
  // Tests wait for this instead of guessing when the first render is done.
  document.body.dataset.ready = 'true';
});
