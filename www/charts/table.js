// A chart's text alternative: its numbers as a table, shown on demand by a button that says what
// it does and whether the table is open (aria-expanded), and a <figure> that holds both.

import { h } from '../lib/dom.js';

/**
 * A table of rows × columns. `columns` are header labels (the first is the row header's);
 * `rows` are arrays of cells, the first of which is the row's header.
 */
export function numbersTable({ id, caption, columns, rows }) {
  return h('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': caption },
    h('table', { testid: `${id}-table` },
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows.map((cells) => h('tr', {},
        h('th', { scope: 'row' }, String(cells[0])),
        cells.slice(1).map((c) => h('td', { class: typeof c === 'number' ? 'num' : '' }, String(c))))))));
}

/**
 * A figure: heading, chart, legend, then a "show the numbers" toggle and the table it opens.
 * `parts` are nodes shown between the heading and the chart (e.g. health facts).
 */
export function chartFigure({ id, heading, chart, legendNode, table, parts = [] }) {
  const tableId = `${id}-numbers`;
  const holder = h('div', { id: tableId, hidden: true, testid: `${id}-numbers` }, table);
  const toggle = h('button', {
    type: 'button', class: 'secondary', 'aria-expanded': 'false', 'aria-controls': tableId,
    testid: `${id}-table-toggle`,
    onclick: () => {
      const open = holder.hidden;
      holder.hidden = !open;
      toggle.setAttribute('aria-expanded', String(open));
      toggle.textContent = open ? 'Hide the numbers' : 'Show the numbers as a table';
    },
  }, 'Show the numbers as a table');
  const headingId = `${id}-heading`;
  return h('figure', { class: 'chart-figure', testid: `${id}-figure`, 'aria-labelledby': headingId },
    h('h3', { id: headingId }, heading),
    parts,
    chart,
    legendNode,
    toggle,
    holder);
}
