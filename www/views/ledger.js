// Ledger: every sealed payload, decoded on demand, downloadable as JSON.

import { api } from '../lib/api.js';
import { callCore, decodeBatch } from '../lib/core.js';
import { $, errorLine, h, stateLine, utc } from '../lib/dom.js';
import { decodedFacts, hashVerdict, rowsTable } from '../lib/payload.js';

export async function load() {
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
  out.replaceChildren(h('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': 'Ledger table' },
    h('table', { testid: 'ledger-table' },
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
  }, 'Decode', which(batch));
  const download = h('button', {
    type: 'button', testid: 'ledger-download', onclick: () => downloadBatch(batch),
  }, 'Download JSON', which(batch));
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

/** Which batch a row's button acts on, for screen readers (every row has the same buttons). */
const which = (batch) => h('span', { class: 'sr-only' }, ` batch ${batch.id}`);

/** Decodes lazily, on first expand: a ledger of 200 batches need not be decoded up front. */
function toggleDetail(toggle, detail, cell, batch) {
  const expand = detail.hidden;
  if (expand && !cell.hasChildNodes()) {
    try {
      const decoded = callCore(decodeBatch, batch.nonce, batch.contentHash, batch.dataEncoded);
      cell.append(hashVerdict(decoded, 'ledger-hash'), decodedFacts(decoded), rowsTable(decoded.rows, 'ledger-rows'));
    } catch (error) {
      cell.append(errorLine(`This browser cannot decode it: ${error.message}`, 'ledger-decode-error'));
    }
  }
  detail.hidden = !expand;
  toggle.setAttribute('aria-expanded', String(expand));
  toggle.replaceChildren(expand ? 'Hide' : 'Decode', which(batch));
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

export function wire() {
  $('ledger-refresh').addEventListener('click', load);
}

export default { id: 'ledger', load, wire };
