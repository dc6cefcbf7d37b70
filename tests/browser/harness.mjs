// Test harness: starts the real JVM host (or uses OWLY_ADMIN_URL), launches Debian's Chromium
// through playwright-core, and records every console error and page error so a test can fail
// on them.

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, '..', '..');
export const artifacts = join(here, 'artifacts');
const jar = join(repo, 'host-java', 'target', 'owly.jar');

const CHROMIUM = process.env.OWLY_CHROMIUM ?? '/usr/bin/chromium';
const STARTUP_MS = 90_000;

/** How many past days the demo records for the charts (`owly demo --history`). */
export const HISTORY_DAYS = 12;

/**
 * The admin server under test and the credentials it accepts. By default the real JVM host's
 * demo, started here on a fresh data dir and a free port, with `--history` days of seeded events
 * (`seeded` is what the demo says it recorded: its `history:` line and its totals for today);
 * `OWLY_ADMIN_URL` points at a running server instead (credentials from OWLY_ADMIN_USER /
 * OWLY_ADMIN_PASSWORD / OWLY_USER / OWLY_USER_PASSWORD, defaulting to those of
 * tests/browser/dev-server.mjs; `seeded` is then read from the demo's output in the file
 * OWLY_ADMIN_SEEDED when the server serves a data folder the demo filled, else null).
 */
export async function startServer() {
  if (process.env.OWLY_ADMIN_URL) {
    return {
      seeded: process.env.OWLY_ADMIN_SEEDED ? seededFrom(readFileSync(process.env.OWLY_ADMIN_SEEDED, 'utf8')) : null,
      url: new URL(process.env.OWLY_ADMIN_URL),
      admin: { username: process.env.OWLY_ADMIN_USER ?? 'admin', password: process.env.OWLY_ADMIN_PASSWORD ?? 'admin-pw' },
      viewer: { username: process.env.OWLY_USER ?? 'viewer', password: process.env.OWLY_USER_PASSWORD ?? 'viewer-pw' },
      stop: async () => {},
    };
  }
  if (!existsSync(jar)) {
    throw new Error(`The browser tests need the JVM host: ${jar} does not exist. Build it (the Java side's `
      + 'Makefile target), or set OWLY_ADMIN_URL to a running admin page, e.g. '
      + '`(cd tests/browser && npm run dev)` then OWLY_ADMIN_URL=http://127.0.0.1:8787/owly/admin/.');
  }
  const data = mkdtempSync(join(tmpdir(), 'owly-browser-'));
  const admin = { username: 'admin', password: randomPassword() };
  const viewer = { username: 'viewer', password: randomPassword() };
  // The passwords go in the environment: the demo takes none on its command line (ps shows it).
  const child = spawn('java', ['-jar', jar, 'demo', '--keep-running', '--data', data, '--port', '0',
    '--admin-user', admin.username, '--user', viewer.username, '--history', String(HISTORY_DAYS)],
  {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, OWLY_ADMIN_PASSWORD: admin.password, OWLY_USER_PASSWORD: viewer.password },
  });
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((done) => setTimeout(done, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(data, { recursive: true, force: true });
  };
  try {
    const { url, out } = await adminUrlFrom(child);
    return { url, admin, viewer, stop, seeded: seededFrom(out) };
  } catch (error) {
    await stop();
    throw error;
  }
}

function randomPassword() {
  return createHash('sha256').update(String(Math.random()) + Date.now()).digest('hex').slice(0, 24);
}

/** Waits for the host's `admin page: http://…/owly/admin/` line on stdout. */
function adminUrlFrom(child) {
  return new Promise((resolveUrl, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => fail(`no "admin page: <url>" line within ${STARTUP_MS / 1000} s`), STARTUP_MS);
    const fail = (why) => {
      clearTimeout(timer);
      reject(new Error(`The JVM host did not start: ${why}.\nstdout:\n${out.slice(-2000)}\nstderr:\n${err.slice(-2000)}`));
    };
    child.stderr.on('data', (chunk) => { err += chunk; });
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /admin page: (https?:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolveUrl({ url: new URL(match[1]), out });
      }
    });
    child.once('error', (error) => fail(error.message));
    child.once('exit', (code) => fail(`it exited with code ${code}`));
  });
}

/**
 * What the demo printed about what it recorded: `history` (its `history:` JSON line: per past
 * day the accepted events by name and the rejections by rule, from the verdicts) and today's
 * totals (the main run plus the events left pending).
 */
function seededFrom(out) {
  const history = /^history: (.*)$/m.exec(out);
  const main = /^Recorded (\d+) events: (\d+) accepted, (\d+) rejected/m.exec(out);
  const pending = /^Recorded (\d+) more accepted events/m.exec(out);
  if (!history || !main || !pending) throw new Error(`The demo did not report what it seeded:\n${out.slice(-3000)}`);
  return {
    history: JSON.parse(history[1]),
    today: { accepted: Number(main[2]) + Number(pending[1]), rejected: Number(main[3]), pending: Number(pending[1]) },
  };
}

/** Headless Debian Chromium with a throwaway profile; nothing is downloaded. */
export async function launchBrowser() {
  const profile = mkdtempSync(join(tmpdir(), 'owly-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context: browser,
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Chromium's own console line for an HTTP error answer (it logs one for every 4xx/5xx). */
const HTTP_ERROR_LINE = /^Failed to load resource: the server responded with a status of (\d{3})\b/;

/**
 * Opens a new page that records console errors and page errors; the caller asserts `problems`
 * is empty at the end.
 *
 * One narrow exception: the admin API answers 401/403 by design (docs/admin-api.md), and
 * Chromium logs every 4xx answer as a console error that no page code can prevent. A test
 * declares each such answer it expects with `expectHttp(status, path)`; only a line for
 * exactly that status and API URL is set aside (in `expectedHttp`, so the test can assert it
 * happened). Anything else — other statuses, other URLs, script errors, CSP violations — stays
 * a problem.
 */
export async function openPage(context) {
  const page = await context.newPage();
  const problems = [];
  const expected = [];
  const expectedHttp = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const http = HTTP_ERROR_LINE.exec(message.text());
    const url = message.location().url;
    if (http && expected.some((e) => e.status === Number(http[1]) && new URL(url).pathname === e.path)) {
      expectedHttp.push(`${http[1]} ${new URL(url).pathname}`);
      return;
    }
    problems.push(`console error: ${message.text()}${url ? ` (${url})` : ''}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  const expectHttp = (status, path) => expected.push({ status, path });
  return { page, problems, expectHttp, expectedHttp };
}

export function screenshotPath(name) {
  mkdirSync(artifacts, { recursive: true });
  return join(artifacts, `${name}.png`);
}

/** Loads the page and waits until its first render is done. */
export async function loadPage(page, server) {
  await page.goto(server.url.href);
  await page.locator('body[data-ready="true"]').waitFor();
}

/** Signs in through the page's form (the first status call is answered 401 by design). */
export async function signInThroughPage(page, server, expectHttp, { username, password }) {
  expectHttp(401, '/owly/api/status');
  await loadPage(page, server);
  await page.getByTestId('view-signin').waitFor();
  await page.getByTestId('signin-user').fill(username);
  await page.getByTestId('signin-password').fill(password);
  await page.getByTestId('signin-submit').click();
}

export async function signInAsAdmin(page, server, expectHttp) {
  await signInThroughPage(page, server, expectHttp, server.admin);
  await page.getByTestId('view-admin').waitFor();
  await page.getByTestId('status-facts').locator('dt').first().waitFor();
}

/** The API as the signed-in browser context sees it (same cookies), from the test's side. */
export async function apiGet(context, server, path) {
  const response = await context.request.get(new URL(`/owly/api/${path}`, server.url).href);
  if (response.status() !== 200) throw new Error(`GET ${path}: ${response.status()}`);
  return response.json();
}

const AXE = readFileSync(join(here, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/**
 * Runs axe-core on the page as it is now. The page's CSP stays in force: axe's source is
 * evaluated through the DevTools protocol (like any Playwright evaluate), not added as a script
 * the CSP would have to allow. Returns the violations and their counts by impact.
 */
export async function axe(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
    }));
  });
  const byImpact = { critical: 0, serious: 0, moderate: 0, minor: 0 };
  for (const v of violations) byImpact[v.impact] = (byImpact[v.impact] ?? 0) + 1;
  return { violations, byImpact };
}
