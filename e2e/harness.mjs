// What the browser test files share: a real server (demo data, temp SQLite file) driven by
// headless Debian Chromium through playwright-core, and the steps every scenario takes.
// Each *.test.mjs file calls useServer() and gets a server and a browser of its own; the
// scenarios of one file run in order and may hand state to the next. Run with
// `node --test --test-concurrency=1 e2e/` from the repository root (the README's test command).
// The server starts with the README's first command (`cargo run --release -- serve --demo`);
// CAKAP_BIN runs a built binary instead (e.g. target/debug/cakap, for quick local runs).
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { chromium } from 'playwright-core';

const BIN = process.env.CAKAP_BIN;
const PASSWORD = 'Cakap-Demo-2026';
const SHOTS = path.resolve('target/screenshots');
const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };
// Per scenario: a debug build is slow, and some list pages take seconds (see the report).
export const SLOW = { timeout: 180_000 };

export const NEW_PHONE = '0812 6000 1234';
export const HOSTILE_NAME = '<script>alert(1)</script>';
export const HOSTILE_NIP = '199001012021211001';
export const BAD_NIP = '197413072002121008';

export let server; // { child, baseURL, dir, log }
export let browser;
export let context;
export let page;
export const dialogs = []; // every dialog any page opens; must stay empty

// State handed from one scenario to the next (the scenarios run in order).
export const edited = { nip: '', name: '', unit: '', oldPhone: '' };

/** Starts `cakap serve --demo` on a free port with a fresh database; resolves once it listens. */
function startServer() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cakap-e2e-'));
  // The README's first command, as a newcomer types it; only the database file and the
  // port come from the environment. CAKAP_BIN runs an already built binary instead.
  // A developer's own settings (keys directory, public URL, secure cookies) stay out of it.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('CAKAP_') && k !== 'DATABASE_URL'),
  );
  Object.assign(env, { DATABASE_URL: `sqlite://${dir}/e2e.db`, CAKAP_ADDR: '127.0.0.1:0' });
  const [cmd, args] = BIN
    ? [BIN, ['serve', '--demo']]
    : ['cargo', ['run', '--release', '--quiet', '--', 'serve', '--demo']];
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  const log = [];
  const keep = (line) => {
    log.push(line);
    if (log.length > 200) log.shift();
  };
  // Always drain stderr, so a chatty server never blocks on a full pipe.
  readline.createInterface({ input: child.stderr }).on('line', keep);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('server did not start within 120 s')), 120_000);
    const fail = (err) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
      reject(new Error(`${err.message}\n--- server output ---\n${log.join('\n')}`));
    };
    child.on('error', fail);
    child.on('exit', (code, signal) => fail(new Error(`server exited early (code ${code}, signal ${signal})`)));
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      keep(line);
      const m = line.match(/^Cakap is running at (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({ child, dir, log, baseURL: m[1] });
      }
    });
  });
}

async function stopServer(s) {
  if (!s) return;
  const { child, dir } = s;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

export async function newContext(viewport = DESKTOP) {
  // Chromium sends Accept-Language, which the app honours: ask for Indonesian like a local user.
  const ctx = await browser.newContext({ baseURL: server.baseURL, viewport, locale: 'id-ID' });
  ctx.on('page', (p) => watchDialogs(p));
  return ctx;
}

function watchDialogs(p) {
  p.on('dialog', async (d) => {
    dialogs.push(`${d.type()}: ${d.message()} (on ${p.url()})`);
    await d.dismiss().catch(() => {});
  });
}

export async function shot(p, name) {
  await p.screenshot({ path: path.join(SHOTS, name), fullPage: false });
}

/** Logs in through the form at /login (logging out first if needed) and waits for the page it leads to. */
export async function login(p, username) {
  await p.goto('/login');
  if (new URL(p.url()).pathname !== '/login') {
    await logout(p);
    await p.goto('/login');
  }
  await p.fill('#username', username);
  await p.fill('#password', PASSWORD);
  await Promise.all([p.waitForURL((u) => u.pathname !== '/login'), p.click('main form.form button[type=submit]')]);
}

export async function logout(p) {
  await Promise.all([p.waitForURL(/\/login|\/$/), p.click('form[action="/logout"] button')]);
}

/**
 * Types into the search box #q and waits until htmx has swapped in the table for the whole
 * box's value (the old table is marked first, so a stale one is never read). Returns how long
 * the server took to answer, in ms.
 */
export async function typeSearch(p, text) {
  await p.$eval('#results table', (t) => t.setAttribute('data-stale', ''));
  const q = (await p.inputValue('#q')) + text;
  const response = p.waitForResponse((r) => {
    const url = new URL(r.url());
    return url.pathname === '/employees' && url.searchParams.get('q') === q && r.request().headers()['hx-request'] === 'true';
  });
  await p.locator('#q').pressSequentially(text, { delay: 20 });
  const res = await response;
  assert.equal(res.status(), 200);
  await p.waitForSelector('#results table:not([data-stale])');
  const timing = res.request().timing();
  return Math.round(timing.responseEnd - timing.requestStart);
}

/** The rows of the employee table in #results: NIP, name, status · golongan, position, unit. */
export async function employeeRows(p) {
  return p.$$eval('#results tbody tr', (trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())));
}

/** Starts this file's server and browser before its scenarios, stops them after. */
export function useServer() {
  before(async () => {
    // On a fresh checkout the first command compiles first: build before the start-up clock runs.
    if (!BIN) {
      const built = spawnSync('cargo', ['build', '--release', '--quiet'], { stdio: 'inherit' });
      assert.equal(built.status, 0, 'cargo build --release failed');
    }
    fs.mkdirSync(SHOTS, { recursive: true });
    server = await startServer();
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    context = await newContext();
    page = await context.newPage();
  }, { timeout: 1_800_000 });

  after(async () => {
    await browser?.close();
    await stopServer(server);
  });
}
