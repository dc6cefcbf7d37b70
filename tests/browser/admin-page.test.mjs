// The admin page in headless Chromium against the admin API: access control, the decoded views,
// state changes the server must reflect, hostile payloads, keyboard use, deletion. Every test
// fails on any console error or page error.
//
//   node --test tests/browser/                      # starts host-java/target/owly.jar demo
//   OWLY_ADMIN_URL=http://127.0.0.1:8787/owly/admin/ node --test tests/browser/

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { launchBrowser, openPage, repo, screenshotPath, startServer } from './harness.mjs';

const CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; "
  + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const golden = JSON.parse(readFileSync(join(repo, 'tests', 'golden', 'single-batch.json'), 'utf8'));

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

// Each test starts signed out, with its own page.
let page;
let problems;
let expectHttp;
let expectedHttp;
beforeEach(async () => {
  await browser.context.clearCookies();
  ({ page, problems, expectHttp, expectedHttp } = await openPage(browser.context));
});

async function finish(screenshot) {
  if (screenshot) await page.screenshot({ path: screenshotPath(screenshot), fullPage: true });
  await page.close();
  assert.deepEqual(problems, [], 'the page logged errors');
}

async function load() {
  await page.goto(server.url.href);
  await page.locator('body[data-ready="true"]').waitFor();
}

async function signIn({ username, password }) {
  // Signed out, the page's first status call is answered 401: that is how it knows to ask.
  expectHttp(401, '/owly/api/status');
  await load();
  await page.getByTestId('view-signin').waitFor();
  await page.getByTestId('signin-user').fill(username);
  await page.getByTestId('signin-password').fill(password);
  await page.getByTestId('signin-submit').click();
}

async function signInAsAdmin() {
  await signIn(server.admin);
  await page.getByTestId('view-admin').waitFor();
  await page.getByTestId('status-facts').locator('dt').first().waitFor();
}

/** The API as the signed-in browser sees it (same cookies), from the test's side. */
async function apiGet(path) {
  const response = await browser.context.request.get(new URL(`/owly/api/${path}`, server.url).href);
  assert.equal(response.status(), 200, `GET ${path}`);
  return response.json();
}

/** A valid wire-format v1 body built with Node only: base64 + SHA-1, as an outsider would. */
function craftBody(rows, nonce = '4242424242424242') {
  const dataEncoded = Buffer.from(JSON.stringify({ dataRows: rows }), 'utf8').toString('base64');
  const contentHash = createHash('sha1').update(`${nonce}:${dataEncoded}`).digest('hex').toUpperCase();
  return JSON.stringify({ dataEncoded, nonce, contentHash, otp: '123456' });
}

describe('access', () => {
  test('anonymous visitors get the sign-in view (401)', async () => {
    expectHttp(401, '/owly/api/status');
    await load();
    await page.getByTestId('view-signin').waitFor();
    assert.deepEqual(expectedHttp, ['401 /owly/api/status']);
    assert.equal(await page.getByTestId('view-admin').isVisible(), false);
    const response = await browser.context.request.get(new URL('/owly/api/status', server.url).href);
    assert.equal(response.status(), 401);
    // The page itself is served under the strict policy the tests rely on.
    const pageResponse = await browser.context.request.get(server.url.href);
    assert.equal(pageResponse.headers()['content-security-policy'], CSP);
    assert.equal(pageResponse.headers()['x-content-type-options'], 'nosniff');
    await finish('signin');
  });

  test('wrong credentials are refused with a message', async () => {
    expectHttp(401, '/owly/api/session');
    await signIn({ username: server.admin.username, password: 'not-the-password' });
    await assert.doesNotReject(page.getByTestId('signin-error').getByText('Wrong username or password').waitFor());
    assert.equal(await page.getByTestId('view-admin').isVisible(), false);
    await finish();
  });

  test('a signed-in non-administrator gets the forbidden view (403), also after a reload', async () => {
    await signIn(server.viewer);
    await page.getByTestId('view-forbidden').getByText('You need administrator permission').waitFor();
    expectHttp(403, '/owly/api/status');
    await load();
    await page.getByTestId('view-forbidden').waitFor();
    assert.equal(await page.getByTestId('view-admin').isVisible(), false);
    const response = await browser.context.request.get(new URL('/owly/api/preview', server.url).href);
    assert.equal(response.status(), 403);
    await finish('forbidden');
  });
});

describe('as administrator', () => {
  test('status shows the mode, collector, fingerprint and pending rows, never the secret', async () => {
    await signInAsAdmin();
    const status = await apiGet('status');
    assert.equal(await page.getByTestId(`mode-${status.mode}`).isChecked(), true);
    const facts = await page.getByTestId('status-facts').textContent();
    assert.match(facts, /Pending rows/);
    if (status.secretFingerprint) assert.ok(facts.includes(status.secretFingerprint));
    assert.ok(!facts.includes(golden.secret_hex), 'the secret is shown');
    await finish('status');
  });

  test('the next payload is shown raw, decoded in the browser, and its hash verifies', async () => {
    await signInAsAdmin();
    // The preview is unsealed: every call draws a fresh nonce (and otp), so compare against the
    // very response the page rendered, and the rows (dataEncoded) against a second call.
    const shown = page.waitForResponse((r) => new URL(r.url()).pathname === '/owly/api/preview');
    await page.getByTestId('tab-preview').click();
    const { body } = await (await shown).json();
    await page.locator('[data-testid="preview-table"], [data-testid="preview-empty"], [data-testid="preview-error"]').first().waitFor();
    const table = page.getByTestId('preview-table');
    assert.ok(await table.isVisible(), 'no next payload: the demo should leave rows pending on start');
    assert.ok(await table.locator('tbody tr').count() > 0, 'no rows in the next payload');
    const hash = page.getByTestId('preview-hash');
    assert.equal(await hash.getAttribute('data-ok'), 'true');
    assert.match(await hash.textContent(), /✓ contentHash verified in this browser/);
    // The raw body on the page is byte for byte what the API returned.
    assert.equal(await page.getByTestId('preview-raw').textContent(), body);
    const again = (await apiGet('preview')).body;
    assert.equal(JSON.parse(again).dataEncoded, JSON.parse(body).dataEncoded, 'same pending rows');
    await finish('preview');
  });

  test('switching the mode changes the server state, and local mode sends nothing', async () => {
    await signInAsAdmin();
    await page.getByTestId('mode-off').check();
    await page.getByTestId('mode-state').getByText('Current mode: off.').waitFor();
    assert.equal((await apiGet('status')).mode, 'off');

    await page.getByTestId('mode-local').check();
    await page.getByTestId('mode-state').getByText('Current mode: local.').waitFor();
    assert.equal((await apiGet('status')).mode, 'local');

    // What the API exposes of "nothing is sent": no new sealed batch appears.
    const before = (await apiGet('ledger')).batches.length;
    await page.waitForTimeout(2000);
    assert.equal((await apiGet('ledger')).batches.length, before);
    await finish();
  });

  test('retention days are saved on the server', async () => {
    await signInAsAdmin();
    await page.getByTestId('retention-days').fill('7');
    await page.getByTestId('retention-save').click();
    await page.getByTestId('retention-state').getByText('Saved: 7 days.').waitFor();
    assert.equal((await apiGet('status')).retentionDays, 7);
    await finish();
  });

  test('the ledger lists sealed batches, decodes one in place and downloads it as JSON', async () => {
    await signInAsAdmin();
    await page.getByTestId('tab-ledger').click();
    const { batches } = await apiGet('ledger');
    // The demo seals at least one batch on start, so this view is tested with real content.
    assert.ok(batches.length > 0, 'the ledger is empty: the demo should seal at least one batch on start');
    await page.getByTestId('ledger-table').waitFor();
    assert.equal(await page.getByTestId('ledger-batch').count(), batches.length);
    const first = page.getByTestId('ledger-batch').first();
    await first.getByTestId('ledger-decode').click();
    assert.equal(await first.getByTestId('ledger-decode').getAttribute('aria-expanded'), 'true');
    const hash = first.getByTestId('ledger-hash');
    assert.equal(await hash.getAttribute('data-ok'), 'true');
    assert.equal(await first.getByTestId('ledger-rows').locator('tbody tr').count(), batches[0].rowCount);

    const [download] = await Promise.all([page.waitForEvent('download'), first.getByTestId('ledger-download').click()]);
    const saved = JSON.parse(readFileSync(await download.path(), 'utf8'));
    assert.deepEqual(saved, batches[0]);
    await finish('ledger');
  });

  test('the filter report shows counters and the catalogue comes from the wasm core', async () => {
    await signInAsAdmin();
    await page.getByTestId('tab-catalog').click();
    await page.locator('[data-testid="stats-table"], [data-testid="stats-empty"]').first().waitFor();
    const { counters } = await apiGet('stats');
    if (counters.length > 0) assert.equal(await page.getByTestId('stats-table').locator('tbody tr').count(), counters.length);
    const events = page.getByTestId('catalog-event');
    assert.equal(await events.count(), 6);
    await page.getByTestId('catalog-out').getByText('owly.export.finished', { exact: true }).waitFor();
    await page.getByTestId('catalog-out').getByText('one of: csv, json, xlsx, sql').waitFor();
    await finish('catalog');
  });

  test('a pasted golden payload decodes, its hash and otp verify with the secret', async () => {
    await signInAsAdmin();
    await page.getByTestId('tab-paste').click();
    await page.getByTestId('paste-body').fill(golden.bodies[0]);
    await page.getByTestId('paste-secret').fill(golden.secret_hex);
    await page.getByTestId('paste-time').fill(String(golden.at_seconds));
    await page.getByTestId('paste-submit').click();
    assert.equal(await page.getByTestId('paste-hash').getAttribute('data-ok'), 'true');
    assert.equal(await page.getByTestId('paste-otp').getAttribute('data-ok'), 'true');
    assert.match(await page.getByTestId('paste-otp').textContent(), /otp verified/);

    // Ten minutes later the otp no longer verifies (±1 step).
    await page.getByTestId('paste-time').fill(String(golden.at_seconds + 600));
    await page.getByTestId('paste-submit').click();
    assert.equal(await page.getByTestId('paste-otp').getAttribute('data-ok'), 'false');
    await finish('paste');
  });

  test('a tampered or broken payload is reported as text', async () => {
    await signInAsAdmin();
    await page.getByTestId('tab-paste').click();
    const body = JSON.parse(golden.bodies[0]);
    const tampered = golden.bodies[0].replace(body.contentHash, 'A'.repeat(40));
    await page.getByTestId('paste-body').fill(tampered);
    await page.getByTestId('paste-submit').click();
    assert.equal(await page.getByTestId('paste-hash').getAttribute('data-ok'), 'false');
    assert.match(await page.getByTestId('paste-hash').textContent(), /does NOT match/);

    await page.getByTestId('paste-body').fill('{"dataEncoded":"x"}');
    await page.getByTestId('paste-submit').click();
    assert.match(await page.getByTestId('paste-error').textContent(), /not a wire-format v1 payload \(key-order\)/);
    await finish();
  });

  test('markup inside a pasted payload renders as text and never runs', async () => {
    await signInAsAdmin();
    await page.getByTestId('tab-paste').click();
    const img = '<img src=x onerror=window.__pwned=1>';
    const script = '<script>window.__pwned=1</script>';
    const svg = '<svg onload=window.__pwned=1>';
    const body = craftBody([{
      ID: '1', ProductTenant: 'BWSN-B5B6-32P4-DDL7', Name: img, ProductVersion: script,
      UpdateDate: '2025-02-13T08:06:44Z', AppVersion: '1.0', Attributes: { [svg]: img, note: script },
    }]);
    await page.getByTestId('paste-body').fill(body);
    await page.getByTestId('paste-submit').click();
    const out = page.getByTestId('paste-out');
    assert.equal(await page.getByTestId('paste-hash').getAttribute('data-ok'), 'true');
    await out.getByText(img, { exact: true }).first().waitFor();
    await out.getByText(script, { exact: true }).first().waitFor();
    await out.getByText(svg, { exact: true }).first().waitFor();
    await out.getByText('not in the catalogue').first().waitFor();
    assert.equal(await out.locator('img, script, svg').count(), 0);
    await page.waitForTimeout(300); // an onerror would fire by now
    assert.equal(await page.evaluate(() => typeof window.__pwned), 'undefined');
    await finish();
  });

  test('the tabs are reachable and operable with the keyboard', async () => {
    await signInAsAdmin();
    await page.locator('body').focus();
    let role = null;
    for (let i = 0; i < 20 && role !== 'tab'; i += 1) {
      await page.keyboard.press('Tab');
      role = await page.evaluate(() => document.activeElement?.getAttribute('role'));
    }
    assert.equal(role, 'tab', 'Tab never reached the tab list');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-status');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-activity');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-preview');
    assert.equal(await page.getByTestId('tab-preview').getAttribute('aria-selected'), 'true');
    assert.equal(await page.getByTestId('panel-preview').isVisible(), true);
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-activity');
    assert.equal(await page.getByTestId('panel-activity').isVisible(), true);
    await page.keyboard.press('End');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-delete');
    // Tab leaves the tab list for the panel (one tab stop for the whole list).
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'panel-delete');
    await finish();
  });

  // Last: it deletes the data the other tests read.
  test('delete-all needs the typed confirmation, then the data is gone', async () => {
    await signInAsAdmin();
    await page.getByTestId('tab-delete').click();
    const submit = page.getByTestId('delete-submit');
    assert.equal(await submit.isDisabled(), true);
    await page.getByTestId('delete-confirm').fill('delete');
    assert.equal(await submit.isDisabled(), true);
    await page.getByTestId('delete-confirm').fill('DELETE');
    assert.equal(await submit.isDisabled(), false);
    await submit.click();
    await page.getByTestId('delete-state').getByText(/^Deleted \d+ records?\.$/).waitFor();
    assert.equal((await apiGet('status')).pending, 0);
    assert.equal((await apiGet('ledger')).batches.length, 0);
    await page.screenshot({ path: screenshotPath('delete'), fullPage: true });
    await page.getByTestId('tab-preview').click();
    await page.getByTestId('preview-empty').waitFor();
    await finish();
  });

  test('signing out returns to the sign-in view and ends the session', async () => {
    await signInAsAdmin();
    await page.getByTestId('logout').click();
    await page.getByTestId('view-signin').waitFor();
    const response = await browser.context.request.get(new URL('/owly/api/status', server.url).href);
    assert.equal(response.status(), 401);
    await finish();
  });
});
