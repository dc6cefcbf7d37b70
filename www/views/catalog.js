// Filter report (counters by rule id, persisted) and the catalogue, read from the wasm module.

import { api } from '../lib/api.js';
import { callCore, catalog } from '../lib/core.js';
import { $, errorLine, h, stateLine } from '../lib/dom.js';

export async function load() {
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
        h('caption', { class: 'sr-only' }, `Attributes of ${event.name}`),
        h('thead', {}, h('tr', {}, ['Attribute', 'Allowed values', 'Purpose'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, event.attributes.map((a) => h('tr', {},
          h('td', {}, h('code', {}, a.name)), h('td', {}, allowedValues(a)), h('td', {}, a.purpose))))))));
}

export default { id: 'catalog', load, wire: () => {} };
