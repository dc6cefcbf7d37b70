#!/usr/bin/env node
// DEVELOPER TOOL ONLY — not the product and not what the tests run against by default.
//
// A throwaway stand-in for the JVM host's admin API (docs/admin-api.md), for working on the page
// without building the jar: serves www/ under /owly/admin/ with the exact security headers, and
// fakes the API with in-memory state and real wire-format bodies taken from tests/golden/.
//
//   cd tests/browser && npm run dev            # http://127.0.0.1:8787/owly/admin/  (admin / admin-pw)
//   OWLY_ADMIN_URL=http://127.0.0.1:8787/owly/admin/ node --test tests/browser/
//
// Flags mirror the JVM host's demo: --port N (0 = any), --admin-user, --admin-password, --user,
// --user-password. Like the host, it prints "admin page: <url>" once it listens.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const www = join(repo, 'www');

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    'admin-user': { type: 'string', default: 'admin' },
    'admin-password': { type: 'string', default: 'admin-pw' },
    user: { type: 'string', default: 'viewer' },
    'user-password': { type: 'string', default: 'viewer-pw' },
  },
});

const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    + "img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

// --- fake instance state, seeded from the golden vectors -------------------------------------

const golden = (name) => JSON.parse(readFileSync(join(repo, 'tests', 'golden', `${name}.json`), 'utf8'));
const single = golden('single-batch');
const three = golden('three-batches');

function batchFromBody(id, body, status, extra) {
  const b = JSON.parse(body);
  const rowCount = JSON.parse(Buffer.from(b.dataEncoded, 'base64').toString('utf8')).dataRows.length;
  return {
    id, status, sealedAt: three.clock_ms + id * 1000, settledAt: null, attempts: 1, rowCount,
    nonce: b.nonce, contentHash: b.contentHash, dataEncoded: b.dataEncoded, lastStatus: null, reason: null, ...extra,
  };
}

const fingerprint = createHash('sha256').update(Buffer.from(single.secret_hex, 'hex')).digest('hex').slice(0, 16);

const state = {
  mode: 'local',
  collectorUrl: 'https://collector.example/owly/v1/payloads',
  retentionDays: 30,
  pending: JSON.parse(Buffer.from(JSON.parse(single.bodies[0]).dataEncoded, 'base64').toString()).dataRows.length,
  preview: single.bodies[0],
  ledger: [
    batchFromBody(3, three.bodies[2], 'failed', { attempts: 1, lastStatus: 400, reason: 'permanent', settledAt: three.clock_ms + 4000 }),
    batchFromBody(2, three.bodies[1], 'retry', { attempts: 3, lastStatus: 503, reason: 'retry-after' }),
    batchFromBody(1, three.bodies[0], 'delivered', { lastStatus: 200, settledAt: three.clock_ms + 2000 }),
  ],
  counters: [{ name: '@email', value: 3 }, { name: 'schema.unknown-event', value: 1 }],
};

// Fake chart data: 30 days up to today, a few event names and rules (docs/admin-api.md, Charts).
const DAY_MS = 86_400_000;
const today = Math.floor(Date.now() / DAY_MS);
const chartDays = Array.from({ length: 30 }, (_, i) => new Date((today - 29 + i) * DAY_MS).toISOString().slice(0, 10));
const wave = (seed, scale) => chartDays.map((_, i) => Math.max(0, Math.round(scale * (1 + Math.sin(i / 3 + seed)) - (i % 7 === 0 ? scale : 0))));
const fakeEvents = () => {
  const accepted = [
    { name: 'owly.export.finished', counts: wave(0, 6) },
    { name: 'owly.view.dashboard', counts: wave(1, 4) },
    { name: 'owly.schedule.created', counts: wave(2, 2) },
  ];
  const sent = accepted.map((a) => ({ name: a.name, counts: a.counts.map((c, i) => (i >= 27 ? 0 : c)) }));
  const rejected = [{ rule: '@email', counts: wave(3, 1) }, { rule: 'schema.unknown-event', counts: wave(4, 1) }];
  const sum = (list) => list.reduce((t, x) => t + x.counts.reduce((a, b) => a + b, 0), 0);
  return { days: chartDays, accepted, sent, rejected, totals: { accepted: sum(accepted), sent: sum(sent), rejected: sum(rejected) } };
};
const fakeHealth = () => ({
  lastSuccessAt: three.clock_ms + 2000, failingSince: three.clock_ms + 3000, lastFailureAt: three.clock_ms + 4000, lastErrorCode: 'http.503',
});
const fakeDelivery = () => ({
  pendingRows: state.pending, sealedBatches: 0, retryingBatches: state.ledger.filter((b) => b.status === 'retry').length,
  failedBatches: state.ledger.filter((b) => b.status === 'failed').length,
  deliveredBatches: state.ledger.filter((b) => b.status === 'delivered').length, droppedRows: 2, ...fakeHealth(),
});

// --- sessions ------------------------------------------------------------------------------

const sessions = new Map(); // token → { admin, csrf }

function sameSecret(a, b) {
  const x = createHash('sha256').update(String(a)).digest();
  const y = createHash('sha256').update(String(b)).digest();
  return timingSafeEqual(x, y);
}

function sessionOf(req) {
  const cookie = req.headers.cookie ?? '';
  const match = /(?:^|;\s*)OWLYSESSION=([A-Za-z0-9_-]+)/.exec(cookie);
  return match ? sessions.get(match[1]) : undefined;
}

// --- HTTP ----------------------------------------------------------------------------------

function send(res, status, body, headers = {}) {
  res.writeHead(status, { ...SECURITY_HEADERS, ...headers });
  res.end(body);
}

function json(res, status, value, headers = {}) {
  send(res, status, value === null ? '' : JSON.stringify(value), value === null ? headers : { 'Content-Type': 'application/json', ...headers });
}

async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 16 * 1024) return { tooLarge: true };
    chunks.push(chunk);
  }
  try {
    return { value: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') };
  } catch {
    return { value: undefined };
  }
}

async function serveStatic(req, res, path) {
  const relative = path.slice('/owly/admin/'.length) || 'index.html';
  const file = normalize(join(www, relative));
  if (!file.startsWith(www + sep)) return json(res, 404, { error: 'not-found' });
  try {
    const data = await readFile(file);
    send(res, 200, data, { 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
  } catch {
    json(res, 404, { error: 'not-found' });
  }
}

async function handleApi(req, res, path, origin) {
  if (req.method === 'POST' && path === '/owly/api/session') {
    const { value, tooLarge } = await readBody(req);
    if (tooLarge) return json(res, 413, { error: 'too-large' });
    if (!value || typeof value.username !== 'string' || typeof value.password !== 'string') return json(res, 400, { error: 'bad-request' });
    const admin = value.username === args['admin-user'] && sameSecret(value.password, args['admin-password']);
    const user = value.username === args.user && sameSecret(value.password, args['user-password']);
    if (!admin && !user) return json(res, 401, { error: 'unauthenticated' });
    const token = randomBytes(24).toString('base64url');
    const csrf = randomBytes(24).toString('base64url');
    sessions.set(token, { admin, csrf });
    return json(res, 200, { csrf, admin }, { 'Set-Cookie': `OWLYSESSION=${token}; HttpOnly; SameSite=Strict; Path=/owly` });
  }
  const session = sessionOf(req);
  if (!session) return json(res, 401, { error: 'unauthenticated' });
  if (!session.admin) return json(res, 403, { error: 'forbidden' });

  if (req.method === 'POST') {
    const sameOrigin = req.headers.origin === undefined || req.headers.origin === origin;
    const jsonType = (req.headers['content-type'] ?? '').split(';')[0].trim() === 'application/json';
    if (req.headers['x-owly-csrf'] !== session.csrf || !jsonType || !sameOrigin) return json(res, 403, { error: 'csrf' });
  }

  if (req.method === 'GET') {
    switch (path) {
      case '/owly/api/status':
        return json(res, 200, {
          mode: state.mode, collectorUrl: state.collectorUrl, retentionDays: state.retentionDays,
          secretFingerprint: fingerprint, serverId: single.config.server_id,
          productVersion: single.config.product_version, appVersion: single.config.app_version,
          csrf: session.csrf, pending: state.pending, delivery: fakeDelivery(),
        });
      case '/owly/api/charts/events':
        return json(res, 200, fakeEvents());
      case '/owly/api/charts/batches':
        return json(res, 200, {
          days: chartDays,
          outcomes: ['delivered', 'retrying', 'failed', 'sealed'].map((outcome, k) => ({ outcome, counts: wave(k, k === 0 ? 2 : 0.4) })),
          health: fakeHealth(),
        });
      case '/owly/api/charts/storage':
        return json(res, 200, {
          pending: state.pending, pendingBytes: state.pending * 180, capRows: 10000, capBytes: null,
          rows: [{ state: 'delivered', rows: 120, bytes: 21000 }, { state: 'pending', rows: state.pending, bytes: state.pending * 180 }],
          drops: [{ reason: 'cap-rows', count: 2 }],
        });
      case '/owly/api/preview':
        return json(res, 200, { body: state.pending > 0 ? state.preview : null });
      case '/owly/api/ledger':
        return json(res, 200, { batches: state.ledger });
      case '/owly/api/stats':
        return json(res, 200, { counters: state.counters });
      default:
        return json(res, 404, { error: 'not-found' });
    }
  }
  if (req.method !== 'POST') return json(res, 405, { error: 'method' });

  const { value, tooLarge } = await readBody(req);
  if (tooLarge) return json(res, 413, { error: 'too-large' });
  switch (path) {
    case '/owly/api/logout':
      for (const [token, s] of sessions) if (s === session) sessions.delete(token);
      return json(res, 204, null, { 'Set-Cookie': 'OWLYSESSION=; HttpOnly; SameSite=Strict; Path=/owly; Max-Age=0' });
    case '/owly/api/mode':
      if (!value || !['off', 'local', 'remote'].includes(value.mode)) return json(res, 400, { error: 'mode' });
      state.mode = value.mode;
      return json(res, 200, { mode: state.mode });
    case '/owly/api/retention':
      if (!value || !Number.isInteger(value.days) || value.days < 0 || value.days > 3650) return json(res, 400, { error: 'days' });
      state.retentionDays = value.days;
      return json(res, 200, { retentionDays: state.retentionDays });
    case '/owly/api/delete-all': {
      if (!value || value.confirm !== 'DELETE') return json(res, 400, { error: 'confirm' });
      const deleted = state.pending + state.ledger.length;
      state.pending = 0;
      state.ledger = [];
      state.counters = [];
      return json(res, 200, { deleted });
    }
    default:
      return json(res, 404, { error: 'not-found' });
  }
}

const server = createServer(async (req, res) => {
  const origin = `http://${req.headers.host}`;
  const path = new URL(req.url, origin).pathname;
  try {
    if (path === '/' || path === '/owly/admin') return send(res, 302, '', { Location: '/owly/admin/' });
    if (path.startsWith('/owly/admin/') && req.method === 'GET') return await serveStatic(req, res, path);
    if (path.startsWith('/owly/api/')) return await handleApi(req, res, path, origin);
    return json(res, 404, { error: 'not-found' });
  } catch (error) {
    console.error('dev-server:', error);
    return json(res, 500, { error: 'internal' });
  }
});

server.listen(Number(args.port), '127.0.0.1', () => {
  console.log(`admin page: http://127.0.0.1:${server.address().port}/owly/admin/`);
});
