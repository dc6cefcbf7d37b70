// Accessibility of every view in headless Chromium against the real JVM host: axe-core (npm
// axe-core, evaluated into the page through the DevTools protocol so the page's CSP stays as
// served) must find no serious or critical violation on any view, with its dynamic content
// shown (charts and their tables, a decoded ledger row, a pasted payload); and the tabs and the
// actions work from the keyboard alone. The results by view and impact are written to
// tests/browser/artifacts/axe.json. Every test fails on any console error or page error.

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  artifacts, axe, launchBrowser, loadPage, openPage, repo, screenshotPath, signInAsAdmin,
  signInThroughPage, startServer,
} from './harness.mjs';

const golden = JSON.parse(readFileSync(join(repo, 'tests', 'golden', 'single-batch.json'), 'utf8'));

let server;
let browser;
const results = {};

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  screenshotPath('axe'); // makes sure the artifacts folder exists
  writeFileSync(join(artifacts, 'axe.json'), `${JSON.stringify(results, null, 2)}\n`);
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

async function finish() {
  await page.close();
  assert.deepEqual(problems, [], 'the page logged errors');
}

/** Runs axe, records the result under `view`, and fails on serious or critical violations. */
async function check(view) {
  const { violations, byImpact } = await axe(page);
  results[view] = { ...byImpact, violations };
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad, [], `${view}: serious or critical accessibility violations`);
}

const focused = () => page.evaluate(() => document.activeElement?.dataset?.testid ?? document.activeElement?.id);

describe('accessibility (axe-core)', () => {
  test('sign-in and forbidden views', async () => {
    expectHttp(401, '/owly/api/status');
    await loadPage(page, server);
    await page.getByTestId('view-signin').waitFor();
    await check('signin');
    // The check can fail: a control without a label, planted for a moment, is reported.
    await page.evaluate(() => {
      const input = document.createElement('input');
      input.id = 'planted';
      document.getElementById('signin-form').append(input);
    });
    const planted = await axe(page);
    assert.ok(planted.violations.some((v) => v.id === 'label' && v.nodes.includes('#planted')
      && (v.impact === 'critical' || v.impact === 'serious')), JSON.stringify(planted.violations));
    await page.evaluate(() => document.getElementById('planted').remove());
    await signInThroughPage(page, server, expectHttp, server.viewer);
    await page.getByTestId('view-forbidden').waitFor();
    await check('forbidden');
    await finish();
  });

  test('every tab of the administrator view, with its content shown', async () => {
    await signInAsAdmin(page, server, expectHttp);
    await page.getByTestId('delivery-facts').locator('dt').first().waitFor();
    await check('status');

    await page.getByTestId('tab-activity').click();
    await page.getByTestId('activity-storage-figure').waitFor();
    for (const id of ['activity-events', 'activity-batches', 'activity-storage', 'activity-drops']) {
      await page.getByTestId(`${id}-table-toggle`).click();
    }
    await page.getByTestId('activity-events-table').waitFor();
    await check('activity');

    await page.getByTestId('tab-preview').click();
    await page.getByTestId('preview-table').waitFor();
    await check('preview');

    await page.getByTestId('tab-ledger').click();
    await page.getByTestId('ledger-table').waitFor();
    await page.getByTestId('ledger-decode').first().click();
    await page.getByTestId('ledger-hash').first().waitFor();
    await check('ledger');

    await page.getByTestId('tab-catalog').click();
    await page.locator('[data-testid="stats-table"], [data-testid="stats-empty"]').first().waitFor();
    await page.getByTestId('catalog-event').first().waitFor();
    await check('catalog');

    await page.getByTestId('tab-paste').click();
    await page.getByTestId('paste-body').fill(golden.bodies[0]);
    await page.getByTestId('paste-secret').fill(golden.secret_hex);
    await page.getByTestId('paste-time').fill(String(golden.at_seconds));
    await page.getByTestId('paste-submit').click();
    await page.getByTestId('paste-otp').waitFor();
    await check('paste');

    await page.getByTestId('tab-delete').click();
    await page.getByTestId('delete-confirm').fill('DELETE');
    await check('delete');
    await finish();
  });
});

describe('keyboard', () => {
  test('the tabs, a chart\'s table and a ledger row are operated with the keyboard alone', async () => {
    await signInAsAdmin(page, server, expectHttp);
    await page.getByTestId('tab-status').focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await focused(), 'tab-activity');
    assert.equal(await page.getByTestId('tab-activity').getAttribute('aria-selected'), 'true');
    await page.getByTestId('activity-storage-figure').waitFor();
    // Tab: the panel, its Refresh button, then the first chart's "show the numbers" button.
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'panel-activity');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'activity-refresh');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'activity-events-table-toggle');
    await page.keyboard.press('Enter');
    assert.equal(await page.getByTestId('activity-events-table-toggle').getAttribute('aria-expanded'), 'true');
    assert.equal(await page.getByTestId('activity-events-table').isVisible(), true);
    await page.keyboard.press('Space');
    assert.equal(await page.getByTestId('activity-events-table').isVisible(), false);

    // Back to the tab list (Shift+Tab), over to the ledger, and decode the first batch.
    for (let i = 0; i < 3; i += 1) await page.keyboard.press('Shift+Tab');
    assert.equal(await focused(), 'tab-activity');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    assert.equal(await focused(), 'tab-ledger');
    await page.getByTestId('ledger-table').waitFor();
    let target = null;
    for (let i = 0; i < 10 && target !== 'ledger-decode'; i += 1) {
      await page.keyboard.press('Tab');
      target = await focused();
    }
    assert.equal(target, 'ledger-decode', 'Tab never reached the first Decode button');
    await page.keyboard.press('Enter');
    const first = page.getByTestId('ledger-batch').first();
    assert.equal(await first.getByTestId('ledger-decode').getAttribute('aria-expanded'), 'true');
    await first.getByTestId('ledger-hash').waitFor();
    // Every control has a name a screen reader can say.
    const unnamed = await page.evaluate(() => [...document.querySelectorAll('button, input, textarea, select')]
      .filter((el) => !el.closest('[hidden]'))
      .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.textContent.trim()))
      .map((el) => el.id || el.outerHTML.slice(0, 80)));
    assert.deepEqual(unnamed, []);
    await page.screenshot({ path: screenshotPath('keyboard-ledger'), fullPage: true });
    await finish();
  });
});
