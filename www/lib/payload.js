// Decoded payloads, shared by the preview, ledger and paste views.

import { session } from './api.js';
import { callCore, decode } from './core.js';
import { errorLine, factList, h, stateLine } from './dom.js';

/** ✓/✗ with words: the symbol alone is not enough for screen readers or a quick glance. */
export function hashVerdict(decoded, testid) {
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
export function rowsTable(rows, testid) {
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

export function decodedFacts(decoded) {
  const facts = [
    ['Nonce', decoded.nonce],
    ['Tenant (server id)', decoded.tenant],
    ['Rows', String(decoded.rowCount)],
  ];
  if (decoded.otp !== null) facts.push(['otp', decoded.otp]);
  return factList(facts);
}

/** The raw body, then what the in-browser core makes of it. */
export function renderBody(body, prefix) {
  const nodes = [h('h3', {}, 'Exact body'), h('pre', { class: 'raw', testid: `${prefix}-raw`, tabindex: '0' }, body)];
  let decoded;
  try {
    decoded = callCore(decode, body);
  } catch (error) {
    nodes.push(errorLine(`This browser cannot decode it: ${error.message}`, `${prefix}-error`));
    return nodes;
  }
  const status = session.lastStatus;
  if (prefix === 'preview' && status && status.mode !== 'remote') {
    nodes.push(stateLine(`The mode is ${status.mode}: this payload is only sent if the mode is remote.`, 'preview-mode-note'));
  }
  nodes.push(h('h3', {}, 'Decoded in this browser'), hashVerdict(decoded, `${prefix}-hash`),
    decodedFacts(decoded), rowsTable(decoded.rows, `${prefix}-table`));
  return nodes;
}
