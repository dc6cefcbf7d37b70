// Bar charts as SVG built with DOM APIs (createElementNS; every label through a text node), styled
// only by classes from style.css, so they work under the page's CSP (no inline style) and never
// parse markup. Each chart is a <figure> with a legend and, on demand, its numbers as a table
// (charts/table.js): the chart is for looking, the table is its text alternative.

import { h, s } from '../lib/dom.js';

const WIDTH = 720;
const HEIGHT = 240;
const PAD = { top: 14, right: 12, bottom: 30, left: 46 };

/** How many series a chart draws in their own colour; the rest are drawn together as "other". */
export const MAX_SERIES = 7;

/**
 * Keeps the `max` largest series (by total) and sums the rest into one "other" series, so a
 * chart stays readable; the table alternative keeps every series.
 */
export function topSeries(series, max = MAX_SERIES, otherLabel = 'other') {
  const sorted = [...series].sort((a, b) => total(b.counts) - total(a.counts) || (a.label < b.label ? -1 : 1));
  if (sorted.length <= max) return sorted;
  const kept = sorted.slice(0, max - 1);
  const rest = sorted.slice(max - 1);
  const counts = rest[0].counts.map((_, i) => rest.reduce((sum, r) => sum + r.counts[i], 0));
  return [...kept, { label: `${otherLabel} (${rest.length})`, counts, other: true }];
}

export const total = (counts) => counts.reduce((a, b) => a + b, 0);

/** A round axis maximum at or above `n` (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k; whole numbers). */
function niceMax(n) {
  if (n <= 1) return 1;
  const exp = 10 ** Math.floor(Math.log10(n));
  for (const step of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    if (step * exp >= n && Number.isInteger(step * exp)) return step * exp;
  }
  return 10 * exp;
}

let uid = 0;

/**
 * Stacked bars per day. `above` series stack upwards from the axis, `below` series (e.g.
 * rejections) downwards; `marker` (optional) is one count per day drawn as a tick across the
 * day's bar (e.g. the part sent). Series are `{label, counts, cls}`; `days` are ISO dates.
 */
export function dayBars({ id, title, summary, days, above, below = [], marker = null }) {
  uid += 1;
  const titleId = `${id}-svg-title-${uid}`;
  const descId = `${id}-svg-desc-${uid}`;
  const up = days.map((_, i) => above.reduce((sum, x) => sum + x.counts[i], 0));
  const down = days.map((_, i) => below.reduce((sum, x) => sum + x.counts[i], 0));
  const markerMax = marker ? Math.max(0, ...marker.counts) : 0;
  const maxUp = niceMax(Math.max(0, ...up, markerMax));
  const maxDown = below.length ? niceMax(Math.max(0, ...down)) : 0;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const zeroY = PAD.top + plotH * (maxUp / (maxUp + maxDown));
  const scale = plotH / (maxUp + maxDown);
  const step = (WIDTH - PAD.left - PAD.right) / days.length;
  const barW = Math.max(2, step * 0.72);

  const svg = s('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-labelledby': `${titleId} ${descId}`,
    class: 'chart', testid: `${id}-svg`, focusable: 'false',
  }, s('title', { id: titleId }, title), s('desc', { id: descId }, summary));

  // Axis: gridlines at 0, the top and the bottom, with their values.
  const grid = s('g', { class: 'grid', 'aria-hidden': 'true' });
  const yLine = (y, label) => {
    grid.append(s('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: y, y2: y }),
      s('text', { x: PAD.left - 6, y: y + 4, class: 'axis-label end' }, label));
  };
  yLine(PAD.top, String(maxUp));
  yLine(zeroY, '0');
  if (maxDown) yLine(PAD.top + plotH, `−${maxDown}`);
  days.forEach((day, i) => {
    if (i % 5 === (days.length - 1) % 5) {
      grid.append(s('text', { x: PAD.left + i * step + step / 2, y: HEIGHT - 10, class: 'axis-label middle' }, day.slice(5)));
    }
  });
  svg.append(grid);

  const bars = s('g', { class: 'bars' });
  const segment = (series, i, y, height, cls) => s('rect', {
    x: (PAD.left + i * step + (step - barW) / 2).toFixed(2), y: y.toFixed(2), width: barW.toFixed(2),
    height: Math.max(0.5, height).toFixed(2), class: cls,
    'data-day': days[i], 'data-series': series.label, 'data-count': String(series.counts[i]),
  }, s('title', {}, `${days[i]} · ${series.label}: ${series.counts[i]}`));
  days.forEach((_, i) => {
    let y = zeroY;
    for (const x of above) {
      if (!x.counts[i]) continue;
      const height = x.counts[i] * scale;
      y -= height;
      bars.append(segment(x, i, y, height, x.cls));
    }
    y = zeroY;
    for (const x of below) {
      if (!x.counts[i]) continue;
      const height = x.counts[i] * scale;
      bars.append(segment(x, i, y, height, x.cls));
      y += height;
    }
    if (marker && marker.counts[i]) {
      const my = zeroY - marker.counts[i] * scale;
      const x0 = PAD.left + i * step + (step - barW) / 2 - 2;
      bars.append(s('line', {
        x1: x0.toFixed(2), x2: (x0 + barW + 4).toFixed(2), y1: my.toFixed(2), y2: my.toFixed(2),
        class: 'marker', 'data-day': days[i], 'data-series': marker.label, 'data-count': String(marker.counts[i]),
      }, s('title', {}, `${days[i]} · ${marker.label}: ${marker.counts[i]}`)));
    }
  });
  svg.append(bars);
  return svg;
}

/**
 * Horizontal bars, one per item `{label, value, cls}`, against an optional `cap` drawn as a
 * line (e.g. pending rows against the storage cap).
 */
export function rowBars({ id, title, summary, items, cap = null, capLabel = 'cap' }) {
  uid += 1;
  const titleId = `${id}-svg-title-${uid}`;
  const descId = `${id}-svg-desc-${uid}`;
  const width = 480;
  const rowH = 26;
  const left = 110;
  const height = PAD.top + items.length * rowH + 22;
  const max = niceMax(Math.max(1, cap ?? 0, ...items.map((i) => i.value)));
  const scale = (width - left - PAD.right - 40) / max;
  const svg = s('svg', {
    viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': `${titleId} ${descId}`,
    class: 'chart', testid: `${id}-svg`, focusable: 'false',
  }, s('title', { id: titleId }, title), s('desc', { id: descId }, summary));
  items.forEach((item, i) => {
    const y = PAD.top + i * rowH;
    svg.append(
      s('text', { x: left - 8, y: y + rowH / 2 + 4, class: 'axis-label end', 'aria-hidden': 'true' }, item.label),
      s('rect', {
        x: left, y: y + 4, width: Math.max(0.5, item.value * scale).toFixed(2), height: rowH - 8, class: item.cls,
        'data-series': item.label, 'data-count': String(item.value),
      }, s('title', {}, `${item.label}: ${item.value}`)),
      s('text', { x: left + item.value * scale + 6, y: y + rowH / 2 + 4, class: 'axis-label', 'aria-hidden': 'true' },
        String(item.value)));
  });
  if (cap !== null) {
    const x = left + cap * scale;
    svg.append(s('line', { x1: x, x2: x, y1: PAD.top - 4, y2: height - 18, class: 'cap', 'data-count': String(cap) },
      s('title', {}, `${capLabel}: ${cap}`)),
    s('text', { x, y: height - 6, class: 'axis-label end', 'aria-hidden': 'true' }, `${capLabel} ${cap}`));
  }
  return svg;
}

/** A legend: one swatch (a class from style.css) and a text label per series. */
export function legend(entries, testid) {
  return h('ul', { class: 'legend', testid },
    entries.map((e) => h('li', {}, h('span', { class: `swatch ${e.cls}`, 'aria-hidden': 'true' }), e.label)));
}
