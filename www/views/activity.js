// Activity: what this instance recorded and sent over the last 30 days, delivery health, and
// storage — charts over the admin API's /charts/* answers (docs/admin-api.md), each with its
// numbers as a table on demand. Everything is drawn here from those answers; nothing is fetched
// from anywhere else.

import { api } from '../lib/api.js';
import { $, errorLine, factList, h, plural, stateLine, utc } from '../lib/dom.js';
import { dayBars, legend, rowBars, topSeries, total } from '../charts/bars.js';
import { chartFigure, numbersTable } from '../charts/table.js';

const OUTCOMES = {
  delivered: { label: 'delivered', cls: 'outcome-delivered' },
  retrying: { label: 'retrying', cls: 'outcome-retrying' },
  failed: { label: 'failed', cls: 'outcome-failed' },
  sealed: { label: 'sealed, awaiting an answer', cls: 'outcome-sealed' },
};

const sumByDay = (series, days) => days.map((_, i) => series.reduce((sum, x) => sum + x.counts[i], 0));

const period = (days) => `${days[0]} to ${days[days.length - 1]} (UTC)`;

export async function load() {
  const out = $('activity-out');
  out.replaceChildren(stateLine('Loading the charts…', 'activity-loading'));
  let events;
  let batches;
  let storage;
  try {
    [events, batches, storage] = await Promise.all([
      api('GET', '/charts/events'), api('GET', '/charts/batches'), api('GET', '/charts/storage')]);
  } catch (error) {
    out.replaceChildren(errorLine(error.message, 'activity-error'));
    return;
  }
  out.replaceChildren(eventsFigure(events), batchesFigure(batches), storageFigure(storage));
}

function eventsFigure(data) {
  const { days } = data;
  const accepted = data.accepted.map((x) => ({ label: x.name, counts: x.counts }));
  const rejected = data.rejected.map((x) => ({ label: x.rule, counts: x.counts }));
  const sent = sumByDay(data.sent, days);
  const above = topSeries(accepted, 7, 'other events').map((x, i) => ({ ...x, cls: x.other ? 'series-other' : `series-${i}` }));
  const below = topSeries(rejected, 4, 'other rules').map((x, i) => ({ ...x, cls: x.other ? 'neg-other' : `neg-${i}` }));
  const totals = data.totals;
  const summary = `${period(days)}: ${plural(totals.accepted, 'event')} accepted, ${totals.sent} of them sent, `
    + `${totals.rejected} rejected by the filter.`;
  const chart = dayBars({
    id: 'activity-events', title: 'Events recorded per day, by event name; rejections below the axis', summary,
    days, above, below, marker: { label: 'sent', counts: sent },
  });
  const names = accepted.map((x) => x.label);
  const rules = rejected.map((x) => x.label);
  const rows = [];
  days.forEach((day, i) => {
    const acceptedOfDay = accepted.reduce((sum, x) => sum + x.counts[i], 0);
    const rejectedOfDay = rejected.reduce((sum, x) => sum + x.counts[i], 0);
    if (acceptedOfDay + rejectedOfDay === 0) return;
    rows.push([day, acceptedOfDay, sent[i], rejectedOfDay,
      ...accepted.map((x) => x.counts[i]), ...rejected.map((x) => x.counts[i])]);
  });
  return chartFigure({
    id: 'activity-events',
    heading: 'Events per day: accepted by name, the part sent, rejected by rule',
    parts: [h('p', { class: 'muted', testid: 'activity-events-summary' }, summary)],
    chart,
    legendNode: legend([
      ...above.map((x) => ({ label: x.label, cls: x.cls })),
      { label: 'sent (tick across the bar)', cls: 'marker-swatch' },
      ...below.map((x) => ({ label: `rejected: ${x.label}`, cls: x.cls })),
    ], 'activity-events-legend'),
    table: rows.length === 0 ? stateLine('Nothing was recorded in these 30 days.', 'activity-events-empty')
      : numbersTable({
        id: 'activity-events',
        caption: `Events per day, ${period(days)}; days without events are left out`,
        columns: ['Day', 'Accepted', 'Sent', 'Rejected', ...names, ...rules.map((r) => `rejected: ${r}`)],
        rows,
      }),
  });
}

function batchesFigure(data) {
  const { days } = data;
  const above = data.outcomes.map((x) => ({
    label: OUTCOMES[x.outcome]?.label ?? x.outcome, counts: x.counts, cls: OUTCOMES[x.outcome]?.cls ?? 'series-other', outcome: x.outcome,
  }));
  const health = data.health;
  const sums = Object.fromEntries(above.map((x) => [x.outcome, total(x.counts)]));
  const summary = `${period(days)}, by the day each batch was sealed: ${sums.delivered ?? 0} delivered, `
    + `${sums.retrying ?? 0} retrying, ${sums.failed ?? 0} failed, ${sums.sealed ?? 0} awaiting a first answer.`;
  const healthLine = health.failingSince !== null
    ? h('p', { class: 'verdict bad', testid: 'activity-health' },
      `Delivery failing since ${utc(health.failingSince)} (last error: ${health.lastErrorCode ?? 'unknown'}).`)
    : h('p', { class: health.lastSuccessAt !== null ? 'verdict ok' : 'state', testid: 'activity-health' },
      health.lastSuccessAt !== null ? `Delivery healthy: the last send succeeded at ${utc(health.lastSuccessAt)}.`
        : 'Nothing has been sent yet.');
  const rows = [];
  days.forEach((day, i) => {
    const cells = above.map((x) => x.counts[i]);
    if (total(cells) > 0) rows.push([day, ...cells]);
  });
  return chartFigure({
    id: 'activity-batches',
    heading: 'Batches per day by outcome, and delivery health',
    parts: [healthLine, factList([
      ['Last successful delivery', utc(health.lastSuccessAt), 'activity-last-success'],
      ['Failing since', health.failingSince === null ? 'not failing' : utc(health.failingSince), 'activity-failing-since'],
      ['Last failed send', utc(health.lastFailureAt), 'activity-last-failure'],
      ['Last error code', health.lastErrorCode ?? 'none', 'activity-last-error'],
    ], 'activity-health-facts'), h('p', { class: 'muted', testid: 'activity-batches-summary' }, summary)],
    chart: dayBars({ id: 'activity-batches', title: 'Batches per day by outcome', summary, days, above }),
    legendNode: legend(above, 'activity-batches-legend'),
    table: rows.length === 0 ? stateLine('No batches were sealed in these 30 days.', 'activity-batches-empty')
      : numbersTable({
        id: 'activity-batches',
        caption: `Batches per day by outcome, ${period(days)}; days without batches are left out`,
        columns: ['Day (sealed)', ...above.map((x) => x.label)],
        rows,
      }),
  });
}

function storageFigure(data) {
  const byState = data.rows.map((r) => ({ label: r.state, value: r.rows, bytes: r.bytes }));
  if (!byState.some((r) => r.label === 'pending')) byState.unshift({ label: 'pending', value: 0, bytes: 0 });
  const items = byState.map((r) => ({ ...r, cls: `state-${/^[a-z]+$/.test(r.label) ? r.label : 'other'}` }));
  const capText = (value, cap, unit) => (cap === null ? `${value} ${unit} (no cap configured)`
    : `${value} of ${cap} ${unit} (${Math.round((100 * value) / Math.max(cap, 1))} %)`);
  const summary = `Pending: ${capText(data.pending, data.capRows, 'rows')}, ${capText(data.pendingBytes, data.capBytes, 'bytes')}. `
    + `${plural(data.drops.reduce((sum, d) => sum + d.count, 0), 'row')} dropped.`;
  const drops = data.drops.map((d, i) => ({ label: d.reason, value: d.count, cls: `neg-${Math.min(i, 3)}` }));
  const storage = chartFigure({
    id: 'activity-storage',
    heading: 'Storage in use against the cap',
    parts: [factList([
      ['Pending rows', capText(data.pending, data.capRows, 'rows'), 'activity-storage-rows'],
      ['Pending bytes', capText(data.pendingBytes, data.capBytes, 'bytes'), 'activity-storage-bytes'],
    ], 'activity-storage-facts')],
    chart: rowBars({
      id: 'activity-storage', title: 'Rows in the event table by state, against the cap on pending rows', summary,
      items, cap: data.capRows, capLabel: 'cap on pending rows',
    }),
    legendNode: h('p', { class: 'muted' }, data.capRows === null
      ? 'No cap on pending rows is configured.' : 'The vertical line is the cap on pending rows.'),
    table: numbersTable({
      id: 'activity-storage',
      caption: 'Rows in the event table by state',
      columns: ['State', 'Rows', 'Bytes'],
      rows: byState.map((r) => [r.label, r.value, r.bytes]),
    }),
  });
  const dropped = chartFigure({
    id: 'activity-drops',
    heading: 'Rows dropped by reason',
    parts: drops.length === 0 ? [stateLine('No rows were dropped.', 'activity-drops-empty')] : [],
    chart: drops.length === 0 ? '' : rowBars({
      id: 'activity-drops', title: 'Rows dropped by reason, all time', summary: `${plural(total(drops.map((d) => d.value)), 'row')} dropped.`, items: drops,
    }),
    legendNode: '',
    table: numbersTable({
      id: 'activity-drops', caption: 'Rows dropped by reason, all time', columns: ['Reason', 'Rows'],
      rows: drops.map((d) => [d.label, d.value]),
    }),
  });
  return h('div', { class: 'pair' }, storage, dropped);
}

export function wire() {
  $('activity-refresh').addEventListener('click', load);
}

export default { id: 'activity', load, wire };
