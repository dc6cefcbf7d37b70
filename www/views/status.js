// Status: the mode switch, what the instance is configured with, delivery, retention.

import { api, session } from '../lib/api.js';
import { $, factList, setMessage, utc } from '../lib/dom.js';

export async function load() {
  setMessage($('status-error'), '');
  try {
    render(await api('GET', '/status'));
  } catch (error) {
    setMessage($('status-error'), error.message);
  }
}

export function render(status) {
  session.lastStatus = status;
  if (status.csrf) session.csrf = status.csrf;
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
  renderDelivery(status.delivery);
  const days = $('retention-days');
  if (document.activeElement !== days) days.value = String(status.retentionDays);
}

/** The `delivery` object of the status answer (docs/admin-api.md). */
function renderDelivery(d) {
  const out = $('delivery-facts');
  if (!d) {
    out.replaceChildren();
    return;
  }
  $('delivery-health').textContent = d.failingSince !== null
    ? `Failing since ${utc(d.failingSince)} (last error: ${d.lastErrorCode ?? 'unknown'}).`
    : d.lastSuccessAt !== null ? `Healthy: the last send succeeded at ${utc(d.lastSuccessAt)}.`
      : 'Nothing has been sent yet.';
  $('delivery-health').className = d.failingSince !== null ? 'verdict bad' : 'verdict ok';
  out.replaceChildren(...factList([
    ['Pending rows', d.pendingRows, 'delivery-pending'],
    ['Sealed batches awaiting a first answer', d.sealedBatches, 'delivery-sealed'],
    ['Retrying batches', d.retryingBatches, 'delivery-retrying'],
    ['Failed batches (never resent)', d.failedBatches, 'delivery-failed'],
    ['Dropped rows', d.droppedRows, 'delivery-dropped'],
    ['Last successful delivery', utc(d.lastSuccessAt), 'delivery-last-success'],
    ['Failing since', d.failingSince === null ? 'not failing' : utc(d.failingSince), 'delivery-failing-since'],
    ['Last error code', d.lastErrorCode ?? 'none', 'delivery-last-error'],
  ]).childNodes);
}

async function onModeChange(event) {
  const mode = event.target.value;
  $('mode-state').textContent = `Switching to ${mode}…`;
  try {
    await api('POST', '/mode', { mode });
    await load();
  } catch (error) {
    $('mode-state').textContent = `The mode was not changed: ${error.message}`;
    // Show the mode the server actually has, not the one that was clicked.
    const status = session.lastStatus;
    if (status) for (const radio of document.querySelectorAll('input[name="mode"]')) radio.checked = radio.value === status.mode;
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
    await load();
  } catch (error) {
    state.textContent = `Not saved: ${error.message}`;
  }
}

export function wire() {
  for (const radio of document.querySelectorAll('input[name="mode"]')) radio.addEventListener('change', onModeChange);
  $('retention-form').addEventListener('submit', onRetentionSubmit);
}

export default { id: 'status', load, wire };
