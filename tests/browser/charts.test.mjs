// The Activity charts in headless Chromium against the real JVM host, seeded by
// `owly demo --history` (a known mix of accepted and rejected events on past days, with the
// collector up, down or refusing the otp). Each figure the page shows is checked three ways:
// against the API answer it was drawn from, against what the demo says it recorded (its
// verdicts), and against another table read through another endpoint (the ledger: rows sent,
// batches by outcome). Every test fails on any console error or page error.

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  apiGet, HISTORY_DAYS, launchBrowser, openPage, screenshotPath, signInAsAdmin, startServer,
} from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

let page;
let problems;
let expectHttp;
beforeEach(async () => {
  await browser.context.clearCookies();
  ({ page, problems, expectHttp } = await openPage(browser.context));
});

async function finish(screenshot) {
  if (screenshot) await page.screenshot({ path: screenshotPath(screenshot), fullPage: true });
  await page.close();
  assert.deepEqual(problems, [], 'the page logged errors');
}

const get = (path) => apiGet(browser.context, server, path);
const dayOf = (ms) => new Date(ms).toISOString().slice(0, 10);
const utc = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** A chart's series as { day: { label: count } }, zero counts left out. */
function byDay(days, series, key) {
  const out = {};
  for (const s of series) {
    s.counts.forEach((n, i) => {
      if (n) (out[days[i]] ??= {})[s[key]] = n;
    });
  }
  return out;
}

const sum = (object) => Object.values(object ?? {}).reduce((a, b) => a + b, 0);

/** A table's header cells and its body rows, as text. */
async function readTable(testid) {
  const table = page.getByTestId(testid);
  await table.waitFor();
  const head = await table.locator('thead th').allTextContents();
  const rows = [];
  for (const row of await table.locator('tbody tr').all()) rows.push(await row.locator('th, td').allTextContents());
  return { head, rows };
}

async function openActivity() {
  await signInAsAdmin(page, server, expectHttp);
  await page.getByTestId('tab-activity').click();
  await page.getByTestId('activity-storage-figure').waitFor();
}

async function openTable(id) {
  const toggle = page.getByTestId(`${id}-table-toggle`);
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  return readTable(`${id}-table`);
}

describe('activity charts', () => {
  test('events per day: accepted by name and rejected by rule equal what was recorded; sent equals the ledger', async () => {
    assert.ok(server.seeded, 'these checks need the JVM demo (it reports what it seeded)');
    await openActivity();
    const events = await get('charts/events');
    const { days } = events;
    assert.equal(days.length, 30);
    const accepted = byDay(days, events.accepted, 'name');
    const rejected = byDay(days, events.rejected, 'rule');
    const sent = byDay(days, events.sent, 'name');

    // The counters against the demo's own verdicts, day by day and name by name.
    const history = server.seeded.history.days;
    assert.equal(history.length, HISTORY_DAYS);
    for (const day of history) {
      assert.deepEqual(accepted[day.day] ?? {}, day.accepted, `accepted on ${day.day}`);
      assert.deepEqual(rejected[day.day] ?? {}, day.rejected, `rejected on ${day.day}`);
    }
    const today = days[days.length - 1];
    assert.equal(sum(accepted[today]), server.seeded.today.accepted, 'accepted today');
    assert.equal(sum(rejected[today]), server.seeded.today.rejected, 'rejected today');

    // Sent, against another table: the rows of the delivered batches in the ledger, by the day
    // they were recorded (UpdateDate) and their name.
    const { batches } = await get('ledger');
    const delivered = {};
    for (const b of batches.filter((x) => x.status === 'delivered')) {
      for (const row of JSON.parse(Buffer.from(b.dataEncoded, 'base64').toString('utf8')).dataRows) {
        const day = row.UpdateDate.slice(0, 10);
        (delivered[day] ??= {})[row.Name] = ((delivered[day] ??= {})[row.Name] ?? 0) + 1;
      }
    }
    assert.deepEqual(sent, delivered, 'sent = rows of delivered batches');
    assert.ok(sum(sent[today]) > 0 && Object.keys(sent).length > 3, 'several days with sends');

    // The page: its summary, the bars (one rect per day and series, with its count), the
    // sent ticks, and the table.
    const summary = await page.getByTestId('activity-events-summary').textContent();
    assert.match(summary, new RegExp(`${events.totals.accepted} events accepted, ${events.totals.sent} of them sent, `
      + `${events.totals.rejected} rejected`));
    const svg = page.getByTestId('activity-events-svg');
    assert.equal(await svg.getAttribute('role'), 'img');
    const drawn = await svg.locator('rect').evaluateAll((rects) => rects.map((r) => [r.dataset.day, Number(r.dataset.count)]));
    const ticks = await svg.locator('line.marker').evaluateAll((lines) => lines.map((l) => [l.dataset.day, Number(l.dataset.count)]));
    for (const day of days) {
      const bars = drawn.filter(([d]) => d === day).reduce((t, [, n]) => t + n, 0);
      assert.equal(bars, sum(accepted[day]) + sum(rejected[day]), `bars on ${day}`);
      assert.equal(ticks.filter(([d]) => d === day).reduce((t, [, n]) => t + n, 0), sum(sent[day]), `sent tick on ${day}`);
    }

    const { head, rows } = await openTable('activity-events');
    const names = events.accepted.map((s) => s.name);
    const rules = events.rejected.map((s) => s.rule);
    assert.deepEqual(head, ['Day', 'Accepted', 'Sent', 'Rejected', ...names, ...rules.map((r) => `rejected: ${r}`)]);
    const withData = days.filter((d) => sum(accepted[d]) + sum(rejected[d]) > 0);
    assert.deepEqual(rows.map((r) => r[0]), withData);
    for (const r of rows) {
      const day = r[0];
      assert.deepEqual(r.slice(1).map(Number), [sum(accepted[day]), sum(sent[day]), sum(rejected[day]),
        ...names.map((n) => accepted[day]?.[n] ?? 0), ...rules.map((n) => rejected[day]?.[n] ?? 0)], `table row ${day}`);
    }
    await finish('activity-events-table');
  });

  test('batches per day by outcome equal the ledger, and the delivery health says since when it fails', async () => {
    assert.ok(server.seeded, 'these checks need the JVM demo (it reports what it seeded)');
    await openActivity();
    const chart = await get('charts/batches');
    const { batches } = await get('ledger');
    const fromLedger = {};
    for (const b of batches) {
      const outcome = b.status === 'retry' ? 'retrying' : b.status;
      const day = dayOf(b.sealedAt);
      (fromLedger[day] ??= {})[outcome] = ((fromLedger[day] ??= {})[outcome] ?? 0) + 1;
    }
    const outcomes = byDay(chart.days, chart.outcomes, 'outcome');
    assert.deepEqual(outcomes, fromLedger);
    const totals = {};
    for (const d of Object.values(outcomes)) for (const [k, v] of Object.entries(d)) totals[k] = (totals[k] ?? 0) + v;
    // The seeded history has the collector up, down and refusing the otp: all three outcomes.
    assert.ok(totals.delivered > 0 && totals.retrying > 0 && totals.failed > 0, JSON.stringify(totals));

    const { health } = chart;
    assert.ok(health.failingSince >= server.seeded.history.failingFrom, 'failing since the last flush, collector down');
    assert.ok(health.lastSuccessAt < health.failingSince);
    assert.equal(health.lastErrorCode, 'transport');
    assert.match(await page.getByTestId('activity-health').textContent(),
      new RegExp(`Delivery failing since ${utc(health.failingSince)} \\(last error: transport\\)`));
    assert.equal(await page.getByTestId('activity-failing-since').textContent(), utc(health.failingSince));
    assert.equal(await page.getByTestId('activity-last-success').textContent(), utc(health.lastSuccessAt));

    const drawn = await page.getByTestId('activity-batches-svg').locator('rect')
      .evaluateAll((rects) => rects.map((r) => [r.dataset.day, r.dataset.series, Number(r.dataset.count)]));
    assert.equal(drawn.reduce((t, [, , n]) => t + n, 0), batches.length, 'one bar segment per day and outcome, summing to the ledger');
    const { head, rows } = await openTable('activity-batches');
    assert.deepEqual(head, ['Day (sealed)', 'delivered', 'retrying', 'failed', 'sealed, awaiting an answer']);
    for (const r of rows) {
      const d = fromLedger[r[0]] ?? {};
      assert.deepEqual(r.slice(1).map(Number), [d.delivered ?? 0, d.retrying ?? 0, d.failed ?? 0, d.sealed ?? 0], `row ${r[0]}`);
    }
    assert.equal(rows.length, Object.keys(fromLedger).length);

    // The same status on the Status tab (the delivery object of /status).
    const { delivery } = await get('status');
    assert.equal(delivery.retryingBatches, totals.retrying);
    assert.equal(delivery.failedBatches, totals.failed);
    assert.equal(delivery.deliveredBatches, totals.delivered);
    assert.equal(delivery.failingSince, health.failingSince);
    await page.getByTestId('tab-status').click();
    await page.getByTestId('delivery-failing-since').waitFor();
    assert.equal(await page.getByTestId('delivery-retrying').textContent(), String(delivery.retryingBatches));
    assert.equal(await page.getByTestId('delivery-failed').textContent(), String(delivery.failedBatches));
    assert.equal(await page.getByTestId('delivery-pending').textContent(), String(delivery.pendingRows));
    assert.equal(await page.getByTestId('delivery-failing-since').textContent(), utc(delivery.failingSince));
    assert.equal(await page.getByTestId('delivery-last-error').textContent(), 'transport');
    await finish('status-delivery');
  });

  test('storage in use is shown against the cap (none configured) with drops by reason', async () => {
    await openActivity();
    const storage = await get('charts/storage');
    const status = await get('status');
    assert.equal(storage.pending, status.pending);
    if (server.seeded) assert.equal(storage.pending, server.seeded.today.pending);
    assert.equal(storage.capRows, null);
    assert.equal(storage.capBytes, null);
    assert.equal(await page.getByTestId('activity-storage-rows').textContent(), `${storage.pending} rows (no cap configured)`);
    assert.equal(await page.getByTestId('activity-storage-bytes').textContent(), `${storage.pendingBytes} bytes (no cap configured)`);
    const { head, rows } = await openTable('activity-storage');
    assert.deepEqual(head, ['State', 'Rows', 'Bytes']);
    const expected = storage.rows.map((r) => [r.state, String(r.rows), String(r.bytes)]);
    if (!storage.rows.some((r) => r.state === 'pending')) expected.unshift(['pending', '0', '0']);
    assert.deepEqual(rows, expected);
    const bars = await page.getByTestId('activity-storage-svg').locator('rect')
      .evaluateAll((rects) => rects.map((r) => [r.dataset.series, r.dataset.count]));
    assert.deepEqual(bars, expected.map(([state, n]) => [state, n]));
    assert.deepEqual(storage.drops, []);
    await page.getByTestId('activity-drops-empty').getByText('No rows were dropped.').waitFor();
    // Every table open: the text alternative of each chart, for the screenshot.
    await page.getByTestId('activity-events-table-toggle').click();
    await page.getByTestId('activity-batches-table-toggle').click();
    await finish('activity');
  });

  test('chart labels from the server are text: markup in a name never becomes an element', async () => {
    await openActivity();
    const hostile = '<img src=x onerror="window.__pwned=1">';
    const result = await page.evaluate(async (label) => {
      const { dayBars, legend } = await import('/owly/admin/charts/bars.js');
      const { numbersTable } = await import('/owly/admin/charts/table.js');
      const svg = dayBars({
        id: 'hostile', title: label, summary: label, days: ['2026-01-01', '2026-01-02'],
        above: [{ label, counts: [1, 2], cls: 'series-0' }], below: [{ label, counts: [1, 0], cls: 'neg-0' }],
        marker: { label, counts: [1, 1] },
      });
      const box = document.createElement('div');
      box.append(svg, legend([{ label, cls: 'series-0' }]),
        numbersTable({ id: 'hostile', caption: label, columns: ['Day', label], rows: [[label, 1]] }));
      document.body.append(box);
      const out = {
        elements: box.querySelectorAll('img, script, foreignObject, iframe').length,
        titles: [...svg.querySelectorAll('title')].map((t) => t.textContent),
        texts: box.textContent.includes(label),
      };
      box.remove();
      return out;
    }, hostile);
    assert.equal(result.elements, 0);
    assert.equal(result.titles[0], hostile);
    assert.ok(result.titles.slice(1).every((t) => t.endsWith(`${hostile}: 1`) || t.endsWith(`${hostile}: 2`)), result.titles.join('\n'));
    assert.ok(result.texts);
    await page.waitForTimeout(300); // an onerror would have fired by now
    assert.equal(await page.evaluate(() => typeof window.__pwned), 'undefined');
    await finish();
  });
});
