// Browser tests for Cakap: a real server (demo data, temp SQLite file) driven by headless
// Debian Chromium through playwright-core. Run with `node --test e2e/` from the repository root.
// The server starts with the README's first command (`cargo run --release -- serve --demo`);
// CAKAP_BIN runs a built binary instead (e.g. target/debug/cakap, for quick local runs).
import { test, before, after } from 'node:test';
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
const PHONE = { width: 390, height: 844 };
// Per scenario: a debug build is slow, and some list pages take seconds (see the report).
const SLOW = { timeout: 180_000 };

const NEW_PHONE = '0812 6000 1234';
const HOSTILE_NAME = '<script>alert(1)</script>';
const HOSTILE_NIP = '199001012021211001';
const BAD_NIP = '197413072002121008';

let server; // { child, baseURL, dir, log }
let browser;
let context;
let page;
const dialogs = []; // every dialog any page opens; must stay empty

// State handed from one scenario to the next (the scenarios run in order).
const edited = { nip: '', name: '', unit: '', oldPhone: '' };

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

async function newContext(viewport = DESKTOP) {
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

async function shot(p, name) {
  await p.screenshot({ path: path.join(SHOTS, name), fullPage: false });
}

/** Logs in through the form at /login (logging out first if needed) and waits for the page it leads to. */
async function login(p, username) {
  await p.goto('/login');
  if (new URL(p.url()).pathname !== '/login') {
    await logout(p);
    await p.goto('/login');
  }
  await p.fill('#username', username);
  await p.fill('#password', PASSWORD);
  await Promise.all([p.waitForURL((u) => u.pathname !== '/login'), p.click('main form.form button[type=submit]')]);
}

async function logout(p) {
  await Promise.all([p.waitForURL(/\/login|\/$/), p.click('form[action="/logout"] button')]);
}

/**
 * Types into the search box #q and waits until htmx has swapped in the table for the whole
 * box's value (the old table is marked first, so a stale one is never read). Returns how long
 * the server took to answer, in ms.
 */
async function typeSearch(p, text) {
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
async function employeeRows(p) {
  return p.$$eval('#results tbody tr', (trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())));
}

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

test('1. admin logs in and sees the home page with stats and charts', SLOW, async (t) => {
  await login(page, 'admin');
  assert.equal(new URL(page.url()).pathname, '/');
  assert.equal(await page.textContent('main h1'), 'Beranda');
  assert.equal(await page.locator('.stats .stat').count(), 5);
  const total = await page.textContent('.stats .stat:first-child .stat-value');
  assert.ok(Number(total) > 0, `employee total is ${total}`);
  const charts = page.locator('figure.chart');
  assert.ok((await charts.count()) >= 1, 'at least one chart');
  assert.ok((await page.locator('figure.chart ol.bars svg.bar rect').count()) > 0, 'the charts have bars');
  assert.ok((await page.locator('figure.chart details.chart-table table').count()) >= 1, 'each chart has its table');
  assert.ok(await page.locator('#nav a', { hasText: 'Log audit' }).isVisible());
  await shot(page, '01-home.png');
});

test('2. search an employee by NIP, edit the phone, see it saved', SLOW, async (t) => {
  await page.goto('/employees');
  assert.equal(await page.textContent('main h1'), 'Pegawai');
  const first = (await employeeRows(page))[0];
  assert.match(first[0], /^\d{18}$/, 'the first row starts with an 18-digit NIP');
  [edited.nip, edited.name] = first;
  edited.unit = first[5];

  // Type the birth-date part of the NIP: htmx reloads #results 300 ms after the last key.
  const prefix = edited.nip.slice(0, 8);
  t.diagnostic(`search ${prefix}: ${await typeSearch(page, prefix)} ms`);
  const byPrefix = await employeeRows(page);
  assert.ok(byPrefix.length >= 1, 'the prefix finds someone');
  assert.ok(byPrefix.every((r) => r[0].startsWith(prefix)), `every NIP starts with ${prefix}: ${byPrefix.map((r) => r[0])}`);

  // Type the rest: exactly that employee is left.
  t.diagnostic(`search ${edited.nip}: ${await typeSearch(page, edited.nip.slice(8))} ms`);
  const rows = await employeeRows(page);
  assert.equal(rows.length, 1, `exactly one row for ${edited.nip}: ${JSON.stringify(rows)}`);
  assert.equal(rows[0][0], edited.nip);
  assert.equal(rows[0][1], edited.name);
  assert.equal(await page.textContent('#results p.muted'), '1–1 dari 1');
  assert.equal(new URL(page.url()).searchParams.get('q'), edited.nip, 'the search is pushed into the URL');
  await shot(page, '02-employee-search.png');

  await Promise.all([page.waitForURL(`**/employees/${edited.nip}`), page.click(`#results a[href="/employees/${edited.nip}"]`)]);
  assert.equal(await page.textContent('main h1'), edited.name);

  await Promise.all([page.waitForURL(`**/employees/${edited.nip}/edit`), page.getByRole('link', { name: 'Ubah', exact: true }).click()]);
  assert.equal(await page.textContent('main h1'), 'Ubah data pegawai');
  assert.equal(await page.inputValue('#nip'), edited.nip);
  edited.oldPhone = await page.inputValue('#phone');
  assert.notEqual(edited.oldPhone, NEW_PHONE);
  await page.fill('#phone', NEW_PHONE);
  await shot(page, '03-employee-edit.png');
  await Promise.all([page.waitForURL(`**/employees/${edited.nip}?saved=1`), page.getByRole('button', { name: 'Simpan' }).click()]);

  assert.equal((await page.textContent('main [role=status]')).trim(), 'Perubahan tersimpan.');
  const phone = page.locator('dl.facts dt', { hasText: 'Telepon' }).locator('xpath=following-sibling::dd[1]');
  assert.equal((await phone.textContent()).trim(), NEW_PHONE);
  await shot(page, '04-employee-saved.png');
});

test('3. the language switch turns the UI into English and back', SLOW, async (t) => {
  await page.goto(`/employees/${edited.nip}`);
  const toEnglish = page.locator('form.lang button');
  assert.equal((await toEnglish.textContent()).trim(), 'English');
  await Promise.all([page.waitForURL(`**/employees/${edited.nip}`), toEnglish.click()]);
  await page.waitForSelector('html[lang="en"]');
  assert.equal((await page.textContent('form.lang button')).trim(), 'Bahasa Indonesia');
  assert.ok(await page.locator('#nav a', { hasText: 'Employees' }).isVisible());
  assert.ok(await page.locator('#nav a', { hasText: 'Audit log' }).isVisible());
  assert.ok(await page.locator('dl.facts dt', { hasText: 'Phone' }).isVisible());
  assert.equal((await page.textContent('main a.button')).trim(), 'Edit');
  assert.equal((await page.textContent('form[action="/logout"] button')).trim(), 'Log out');

  await page.goto('/employees');
  assert.equal(await page.textContent('main h1'), 'Employees');
  await shot(page, '05-english.png');

  await Promise.all([page.waitForURL('**/employees'), page.locator('form.lang button').click()]);
  await page.waitForSelector('html[lang="id"]');
  assert.equal(await page.textContent('main h1'), 'Pegawai');
  assert.equal((await page.textContent('form.lang button')).trim(), 'English');
});

test('4. the audit log shows the phone change by admin first', SLOW, async (t) => {
  await page.goto('/');
  await Promise.all([page.waitForURL('**/audit'), page.locator('#nav a', { hasText: 'Log audit' }).click()]);
  assert.equal(await page.textContent('main h1'), 'Log audit');
  const row = page.locator('table.audit tbody tr').first();
  const cells = await row.locator('td').allTextContents();
  assert.equal(cells[1].trim(), 'admin');
  assert.equal(cells[2].trim(), 'ubah');
  assert.equal(await row.locator('td:nth-child(4) code').textContent(), edited.nip);
  assert.match(cells[3], /^Pegawai\b/);
  const changes = (await row.locator('ul.changes li').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
  assert.deepEqual(changes, [`Telepon: ${edited.oldPhone || '—'} → ${NEW_PHONE}`]);
  assert.equal(await row.locator('ul.changes li strong').textContent(), 'Telepon');
  assert.equal(await row.locator('ul.changes li ins').textContent(), NEW_PHONE);
  await shot(page, '06-audit.png');
});

test('5. a Puskesmas head sees only their own unit', SLOW, async (t) => {
  await logout(page);
  await login(page, 'kapus.babahrot');
  await page.goto('/employees');
  const info = await page.textContent('#results p.muted');
  const total = Number(info.match(/dari (\d+)/)[1]);
  await shot(page, '07-kapus-employees.png');
  const rows = await employeeRows(page);
  // Follow the pager to the end: every page lists only Puskesmas Babahrot.
  while (await page.locator('#results a[rel=next]').count()) {
    await Promise.all([page.waitForURL(/page=/), page.click('#results a[rel=next]')]);
    rows.push(...(await employeeRows(page)));
  }
  assert.ok(total > 0, 'kapus.babahrot sees some employees');
  assert.equal(rows.length, total, `all ${total} rows were read`);
  const units = [...new Set(rows.map((r) => r[4]))];
  assert.deepEqual(units, ['UPTD Puskesmas Babahrot'], `units listed (${info})`);
  assert.equal(await page.locator('#nav a', { hasText: 'Log audit' }).count(), 0, 'no audit log for a pimpinan');
  // The unit filter offers only their own unit.
  const options = await page.$$eval('#unit option', (os) => os.map((o) => o.value).filter(Boolean));
  assert.deepEqual(options, ['PKM.06']);

  if (edited.unit === 'UPTD Puskesmas Babahrot') {
    t.diagnostic(`${edited.nip} is of kapus's own unit: the not-found check is skipped`);
  } else {
    const res = await page.goto(`/employees/${edited.nip}`);
    assert.equal(res.status(), 404);
    assert.equal(await page.textContent('main h1'), 'Tidak ditemukan');
    assert.equal(await page.locator('main', { hasText: NEW_PHONE }).count(), 0, 'nothing of the record leaks');
    await shot(page, '08-not-found.png');
  }
  await logout(page);
});

test('6. hostile input is shown as text; an invalid NIP is refused', SLOW, async (t) => {
  await login(page, 'admin');
  await page.goto('/employees/new');
  assert.equal(await page.textContent('main h1'), 'Tambah pegawai');
  await page.fill('#nip', HOSTILE_NIP);
  await page.fill('#name', HOSTILE_NAME);
  await page.selectOption('#status', 'PPPK');
  await page.fill('#golongan', 'IX');
  const created = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/employees');
  await Promise.all([page.waitForURL(`**/employees/${HOSTILE_NIP}?saved=1`), page.getByRole('button', { name: 'Simpan' }).click()]);
  assert.equal((await created).status(), 303);
  assert.equal(await page.textContent('main h1'), HOSTILE_NAME);
  assert.equal(await page.title(), `${HOSTILE_NAME} · Cakap`);
  assert.equal(await page.locator('main h1 script').count(), 0, 'no script element was made from the name');
  await shot(page, '09-hostile-profile.png');

  // The name in the table and the audit log is text as well.
  await page.goto(`/employees?q=${HOSTILE_NIP}`);
  assert.equal((await employeeRows(page))[0][1], HOSTILE_NAME);
  await page.goto('/audit');
  assert.ok((await page.locator('table.audit tbody tr').first().textContent()).includes(HOSTILE_NAME));
  assert.deepEqual(dialogs, [], 'no dialog fired');

  await page.goto('/employees/new');
  await page.fill('#nip', BAD_NIP);
  await page.fill('#name', 'Uji NIP Salah');
  await page.selectOption('#status', 'PNS');
  await page.fill('#golongan', 'III/a');
  const [refused] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/employees'),
    page.getByRole('button', { name: 'Simpan' }).click(),
  ]);
  await page.waitForLoadState();
  assert.equal(refused.status(), 422);
  assert.equal((await page.textContent('main [role=alert]')).trim(), 'NIP: tanggal lahir 19741307 tidak valid');
  assert.equal(await page.getAttribute('#nip', 'aria-invalid'), 'true');
  assert.equal(await page.inputValue('#nip'), BAD_NIP, 'the form comes back as typed');
  assert.equal(await page.inputValue('#name'), 'Uji NIP Salah');
  await shot(page, '10-invalid-nip.png');
  assert.deepEqual(dialogs, [], 'no dialog fired');
});

test('7. on a phone the menu button toggles the navigation', SLOW, async (t) => {
  const phoneContext = await newContext(PHONE);
  try {
    const p = await phoneContext.newPage();
    await login(p, 'admin');
    assert.equal(await p.textContent('main h1'), 'Beranda');
    const toggle = p.getByRole('button', { name: 'Menu' });
    const nav = p.locator('nav#nav');
    assert.ok(await toggle.isVisible(), 'the menu button shows on a phone');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.ok(await nav.isHidden(), 'the navigation starts closed');
    await shot(p, '11-phone-menu-closed.png');

    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    assert.ok(await nav.isVisible(), 'the navigation opens');
    assert.ok(await nav.locator('a', { hasText: 'Pegawai' }).isVisible());
    await shot(p, '12-phone-menu-open.png');

    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.ok(await nav.isHidden(), 'the navigation closes again');
    assert.deepEqual(dialogs, [], 'no dialog fired');
  } finally {
    await phoneContext.close();
  }
});

test('8. on a phone, admin sets a position standard and copies it to another position', SLOW, async (t) => {
  const phoneContext = await newContext(PHONE);
  try {
    const p = await phoneContext.newPage();
    await login(p, 'admin');
    const positions = await (await p.request.get('/api/v1/positions?unit=PKM.06')).json();
    const [target, source] = positions.items;
    await p.goto(`/positions/${target.id}`);
    assert.equal(await p.textContent('main h1'), target.name);
    await p.selectOption('select[name="level.M.01"]', '5');
    await p.selectOption('select[name="level.T.BNC.01"]', '3');
    await Promise.all([p.waitForURL(/saved=1/), p.click('main form[action$="/standards"] button[type=submit]')]);
    assert.equal(await p.inputValue('select[name="level.M.01"]'), '5');
    assert.equal(await p.inputValue('select[name="level.T.BNC.01"]'), '3');
    await shot(p, '13-phone-standard-saved.png');

    // Copy: choosing the unit loads its positions (htmx), then the copy replaces the set.
    await p.goto(`/positions/${source.id}`);
    const loaded = p.waitForResponse((r) => new URL(r.url()).pathname === '/positions/options');
    await p.selectOption('#copy-unit', 'PKM.06');
    await loaded;
    await p.selectOption('#from', String(target.id));
    await Promise.all([p.waitForURL(/saved=1/), p.click('main form[action$="/standards/copy"] button[type=submit]')]);
    assert.equal(await p.inputValue('select[name="level.M.01"]'), '5');
    assert.equal(await p.inputValue('select[name="level.T.BNC.01"]'), '3');
    const copied = await (await p.request.get(`/api/v1/positions/${source.id}/requirements`)).json();
    const mine = await (await p.request.get(`/api/v1/positions/${target.id}/requirements`)).json();
    assert.deepEqual(copied, mine);
    assert.deepEqual(dialogs, [], 'no dialog fired');
  } finally {
    await phoneContext.close();
  }
});

test('9. admin records an assessment with a PDF as evidence and downloads it', SLOW, async (t) => {
  await login(page, 'admin');
  const list = await (await page.request.get('/api/v1/employees?unit=PKM.06&per_page=1')).json();
  const nip = list.items[0].nip;
  await page.goto(`/employees/${nip}`);
  await page.click('#assessments summary');
  await page.selectOption('#a-competency', 'M.05');
  await page.selectOption('#a-level', '4');
  await page.selectOption('#a-method', 'assessment_center');
  // Today, by the most authoritative method: it becomes the effective level at once.
  await page.fill('#a-on', new Date().toISOString().slice(0, 10));
  await page.fill('#a-assessor', 'UPT Penilaian Kompetensi BKN Regional XIII');
  const pdf = path.join(os.tmpdir(), `cakap-e2e-${process.pid}.pdf`);
  fs.writeFileSync(pdf, '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
  await page.setInputFiles('#a-evidence', pdf);
  await Promise.all([page.waitForURL(/saved=1/), page.click('#assessments form button[type=submit]')]);
  fs.rmSync(pdf);
  const row = page.locator('#assessments tbody tr', { hasText: 'UPT Penilaian Kompetensi' });
  assert.equal(await row.count(), 1);
  assert.match(await row.textContent(), /M\.05/);
  await row.scrollIntoViewIfNeeded();
  await shot(page, '14-assessment-recorded.png');
  const [download] = await Promise.all([page.waitForEvent('download'), row.locator('a[download]').click()]);
  const file = await download.path();
  assert.ok(fs.readFileSync(file, 'latin1').startsWith('%PDF-1.4'), 'the same file comes back');
  // The radar table now shows level 4 for M.05.
  const m05 = await page.locator('.competence tbody tr', { hasText: 'M.05' }).locator('td').allTextContents();
  assert.equal(m05[2].trim(), '4', `required, actual, gap: ${m05.join(' | ')}`);
  assert.deepEqual(dialogs, [], 'no dialog fired');
});

test('10. on a phone, a Puskesmas head rates a staff member and sees the unit curve', SLOW, async (t) => {
  const phoneContext = await newContext(PHONE);
  try {
    const p = await phoneContext.newPage();
    await login(p, 'kapus.babahrot');
    await p.goto('/performance?unit=PKM.06');
    assert.equal(await p.textContent('main h1'), 'Kinerja');
    const periods = await (await p.request.get('/api/v1/performance/periods')).json();
    const quarter = periods.find((x) => x.kind === 'periodic' && x.status === 'open').code;
    const plans = await (await p.request.get(`/api/v1/performance/plans?unit=PKM.06&period=${quarter}`)).json();
    const me = await p.textContent('.who, header').catch(() => '');
    const target = plans.find((x) => x.status === 'submitted' && !me.includes(x.name));
    assert.ok(target, 'a submitted plan to rate');
    await p.click(`a[href="/performance/plans/${target.id}"]`);
    await p.selectOption('#hasil_kerja', 'di_atas');
    await p.selectOption('#perilaku_kerja', 'di_bawah');
    await p.selectOption('#weaknesses', ['M.07']);
    await Promise.all([p.waitForURL(/saved=1/), p.click('form[action$="/evaluate"] button[type=submit]')]);
    assert.equal(await p.textContent('.predikat strong'), 'Kurang/Misconduct');
    await shot(p, '15-phone-rated.png');
    await Promise.all([p.waitForURL(/saved=1/), p.click('form[action$="/finalize"] button[type=submit]')]);
    assert.match(await p.textContent('main .head .tag'), /ditetapkan/);
    // Back to the unit: the new rating counts in the distribution, with the curve check.
    await p.goto('/performance?unit=PKM.06');
    const table = await p.$$eval('.chart-table tbody tr, .pair table tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())));
    const kurang = table.find((r) => r[0] === 'Kurang/Misconduct');
    assert.ok(kurang && Number(kurang[1]) >= 1, `Kurang/Misconduct counted: ${JSON.stringify(table)}`);
    await shot(p, '16-phone-unit-curve.png');
    assert.deepEqual(dialogs, [], 'no dialog fired');
  } finally {
    await phoneContext.close();
  }
});

test('11. on a phone, an ASN finds a course, learns, passes the quiz and verifies the certificate', SLOW, async (t) => {
  const phoneContext = await newContext(PHONE);
  try {
    const p = await phoneContext.newPage();
    await login(p, 'asn');
    const me = await (await p.request.get('/api/v1/employees?per_page=1')).json().catch(() => null);
    const nip = me?.items?.[0]?.nip;
    assert.ok(nip, 'the ASN sees their own record');
    const gapOf = async () => {
      const g = await (await p.request.get(`/api/v1/employees/${nip}/gaps`)).json();
      return g.gaps.find((x) => x.competency === 'T.BNC.04').gap;
    };
    assert.equal(await gapOf(), 1, 'a first-aid gap to close');

    await p.goto('/learn');
    assert.match(await p.textContent('.jp-figure'), /12\s*\/\s*20 JP/);
    await shot(p, '17-phone-learn-dashboard.png');
    // Find the course by a word from its text, accents and case as typed.
    await p.fill('#q', 'TSUNAMÍ');
    await Promise.all([p.waitForURL(/\/learn\/courses\?/), p.click('form[role=search] button[type=submit]')]);
    await p.click('text=Kesiapsiagaan Gempa Bumi dan Tsunami bagi ASN');
    await p.waitForURL(/\/learn\/courses\/ELN-GEMPA$/);
    // The form posts and comes back to the same page, now with the learner's status.
    await p.click('form[action="/learn/enroll"] button[type=submit]');
    await p.waitForSelector('#mine-h');
    await shot(p, '18-phone-course-enrolled.png');
    // Read the three modules; the last "done" leads to the quiz.
    await p.click('ol.modules a');
    for (let i = 0; i < 3; i++) {
      assert.ok(await p.isVisible('.module-body'), 'module text shown');
      if (i === 0) await shot(p, '19-phone-module.png');
      const before = p.url();
      await Promise.all([p.waitForURL((u) => u.href !== before), p.click('form.module-done button')]);
    }
    await p.waitForURL(/\/learn\/courses\/ELN-GEMPA/);
    // The offline copy: the service worker keeps a module once read.
    const cached = await p.evaluate(async () => {
      const names = await caches.keys();
      let n = 0;
      for (const name of names) n += (await (await caches.open(name)).keys()).filter((r) => r.url.includes('/learn/modules/')).length;
      return n;
    });
    assert.ok(cached >= 1, `modules kept for offline reading (${cached})`);
    await Promise.all([p.waitForURL(/\/learn\/attempts\/\d+/), p.click('form[action$="/quiz"] button')]);
    // The page holds no answer key.
    const html = await p.content();
    assert.ok(!/answer_key|"correct"|hold on/i.test(html), 'no answers in the page');
    const sets = await p.$$('fieldset[data-q]');
    for (const set of sets) {
      const prompt = await set.$eval('legend', (l) => l.textContent);
      if (prompt.startsWith('Setelah gempa')) await (await set.$('label:has-text("Segera setelah guncangan berhenti") input')).check();
      else if (prompt.startsWith('Mana saja')) {
        for (const text of ['Air laut surut tiba-tiba', 'Gempa lama lebih dari 1 menit', 'Suara gemuruh dari laut']) {
          await (await set.$(`label:has-text("${text}") input`)).check();
        }
      } else if (prompt.startsWith('Mobil')) await (await set.$('input[value=false]')).check();
      else if (prompt.startsWith('Berapa kali')) await (await set.$('input')).fill('2');
      else await (await set.$('input')).fill('Hold on');
    }
    await shot(p, '20-phone-quiz.png');
    await Promise.all([p.waitForURL(/\/learn\/attempts\/\d+$/), p.click('form.quiz-form button[type=submit]')]);
    assert.match(await p.textContent('.result h2'), /100%/);
    await shot(p, '21-phone-quiz-passed.png');
    // The certificate: a PDF, and its QR code's address checks out publicly.
    const link = await p.getAttribute('a[href^="/learn/certificates/"]', 'href');
    const pdf = await p.request.get(link);
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    const body = await pdf.body();
    assert.equal(body.subarray(0, 5).toString(), '%PDF-');
    const code = link.match(/certificates\/([0-9A-Z-]+)\.pdf/)[1];
    assert.ok(body.toString('latin1').includes(`/verify/${code}`), 'the QR address is on the certificate');
    const anon = await browser.newContext({ baseURL: server.baseURL, viewport: PHONE, locale: 'id-ID' });
    try {
      const v = await anon.newPage();
      await v.goto(`/verify/${code}`);
      assert.match(await v.textContent('.verify'), /asli dan tercatat/);
      assert.ok(!(await v.content()).includes(nip), 'the NIP is masked');
      await shot(v, '22-phone-verify.png');
      const bad = code.slice(0, -1) + (code.endsWith('A') ? 'B' : 'A');
      const res = await v.goto(`/verify/${bad}`);
      assert.equal(res.status(), 404);
      assert.match(await v.textContent('.verify'), /tidak valid/);
    } finally {
      await anon.close();
    }
    // JP reached, gap closed.
    await p.goto('/learn');
    assert.match(await p.textContent('.jp-figure'), /20\s*\/\s*20 JP/);
    assert.equal(await gapOf(), 0, 'the gap went down');
    assert.deepEqual(dialogs, [], 'no dialog fired');
  } finally {
    await phoneContext.close();
  }
});

test('12. BKPSDM sees who has not reached 20 JP this year, with a chart and a download', SLOW, async (t) => {
  await login(page, 'admin');
  await page.goto('/learn/jp');
  assert.match(await page.textContent('main h1'), /Hak 20 JP/);
  assert.ok(await page.isVisible('figure.chart'), 'the chart per unit');
  const rows = await page.$$eval('main table.cards tbody tr', (trs) => trs.length);
  assert.ok(rows > 10, `people below 20 JP listed (${rows})`);
  await shot(page, '23-jp-report.png');
  const csv = await page.request.get('/learn/jp?format=csv');
  assert.equal(csv.status(), 200);
  assert.match(await csv.text(), /^NIP,Nama,Unit,JP,Kurang JP/);
});

test('13. BKPSDM opens next year\'s training plan, sees why and what-if, approves; the ASN sees their IDP on a phone', SLOW, async (t) => {
  await login(page, 'admin');
  await page.goto('/plans');
  assert.match(await page.textContent('main h1'), /Rencana pelatihan/);
  await Promise.all([page.waitForURL(/\/plans\/\d+$/), page.click('main table tbody tr:first-child a')]);
  assert.ok(await page.isVisible('figure.chart'), 'the what-if chart');
  const assigned = await page.$$eval('main table.cards', (ts) => ts[0].querySelectorAll('tbody tr').length);
  assert.ok(assigned > 10, `assignments listed (${assigned})`);
  assert.match(await page.textContent('main'), /Terpotong anggaran|Kursi penuh|Tanpa gap/);
  await shot(page, '24-training-plan.png');
  await Promise.all([page.waitForURL(/\/plans\/\d+$/), page.click('form[action$="/approve"] button')]);
  assert.match(await page.textContent('main'), /disetujui/);

  const phone = await newContext(PHONE);
  const p = await phone.newPage();
  await login(p, 'asn');
  await p.goto('/idp');
  assert.match(await p.textContent('main h1'), /IDP/);
  const items = await p.$$eval('main table.cards tbody tr', (trs) => trs.length);
  assert.ok(items >= 1, 'the IDP has items');
  assert.match(await p.textContent('main'), /diajukan/);
  await shot(p, '25-idp-phone.png');
  await phone.close();
});

test('14. a citizen answers the survey on a phone; BKPSDM sees the IKM with its chart, records and moves a complaint', SLOW, async (t) => {
  const phone = await newContext(PHONE);
  const p = await phone.newPage();
  await p.goto('/survei/DISDUKCAPIL');
  assert.match(await p.textContent('main h1'), /Survei Kepuasan Masyarakat/);
  for (let u = 1; u <= 9; u++) await p.check(`input[name="u${u}"][value="4"]`);
  await p.fill('#comment', HOSTILE_NAME);
  await shot(p, '26-survey-phone.png');
  await Promise.all([p.waitForLoadState('load'), p.click('main form button[type=submit]')]);
  assert.match(await p.textContent('main h1'), /Terima kasih/);
  await phone.close();

  await login(page, 'admin');
  await page.goto('/layanan');
  assert.ok(await page.isVisible('figure.chart'), 'the IKM chart');
  assert.match(await page.textContent('main'), /Dinas Kependudukan/);
  await page.goto('/layanan/DISDUKCAPIL');
  assert.match(await page.textContent('main'), /Kompetensi Pelaksana/);
  // The citizen's comment is shown as text, never run.
  assert.match(await page.textContent('ul.comments'), /<script>alert\(1\)<\/script>/);
  await shot(page, '27-service-unit.png');
  await page.goto('/pengaduan');
  await page.selectOption('#unit', 'DISDUKCAPIL');
  await page.fill('#summary', 'Antrean KTP-el terlalu lama');
  await Promise.all([page.waitForURL(/\/pengaduan\/\d+(#.*)?$/), page.click('form[action^="/pengaduan"] button[type=submit]')]);
  assert.match(await page.textContent('main'), /Baru/);
  await page.selectOption('#status', 'diverifikasi');
  await Promise.all([page.waitForURL(/\/pengaduan\/\d+(#.*)?$/), page.click('form[action$="/step"] button')]);
  assert.match(await page.textContent('ol.steps'), /Diverifikasi/);
  await shot(page, '28-complaint.png');
});

test('15. BKPSDM watches a Perbup\'s compliance by unit; an ASN on a phone gets the notice, reads and acknowledges it', SLOW, async (t) => {
  await login(page, 'admin');
  await page.goto('/peraturan?q=jam%20kerja&jenis=perbup');
  await Promise.all([page.waitForURL(/\/peraturan\/\d+$/), page.click('main table a[href^="/peraturan/"]:has-text("PERBUP No. 7 Tahun 2026")')]);
  assert.match(await page.textContent('main'), /Mencabut/, 'the relation to the Perbup it revokes');
  await page.click('main table a:has-text("Kampanye")');
  await page.waitForURL(/\/kampanye\/\d+$/);
  const campaignURL = new URL(page.url()).pathname;
  assert.ok(await page.isVisible('figure.chart'), 'compliance as a chart');
  const before = await page.textContent('.stats');
  await shot(page, '29-campaign-compliance.png');

  const phone = await newContext(PHONE);
  try {
    const p = await phone.newPage();
    await login(p, 'asn');
    assert.ok(await p.isVisible('header .badge'), 'the unread count in the header');
    const card = p.locator('section.attention');
    assert.match(await card.textContent(), /PERBUP No\. 7 Tahun 2026/);
    await shot(p, '30-phone-home-waiting.png');
    await Promise.all([p.waitForURL(/\/kampanye\/\d+$/), card.locator('a').first().click()]);
    assert.match(await p.textContent('#read'), /07\.45/, 'the abstract to read on the phone');
    await Promise.all([p.waitForLoadState('load'), p.click('#read form button[type=submit]')]);
    assert.match(await p.textContent('#read'), /sudah mengonfirmasi/);
    await shot(p, '31-phone-acknowledged.png');
    await p.goto('/');
    assert.equal(await p.locator('section.attention').count(), 0, 'nothing waits any more');
  } finally {
    await phone.close();
  }
  await page.goto(campaignURL);
  assert.notEqual(await page.textContent('.stats'), before, 'compliance moved');
});

test('16. at night BKPSDM assembles a flood team for Babahrot, calls it out; an ASN on a phone answers, the coordinator sees it without reloading', SLOW, async (t) => {
  await login(page, 'admin');
  await page.goto('/kesiapsiagaan?hazard=banjir');
  assert.ok(await page.isVisible('figure.map svg'), 'the map of the kecamatan');
  assert.equal(await page.locator('figure.map svg.wide g.tile').count(), 9);
  const babahrot = await page.textContent('#kec-11\\.12\\.06');
  assert.match(babahrot, /Logistik/, 'Babahrot is short on logistics, and the table says so');
  await shot(page, '32-readiness-map.png');
  await page.selectOption('#kecamatan', '11.12.06');
  await Promise.all([page.waitForURL(/\/kesiapsiagaan\/tim\/\d+$/), page.click('form[action="/kesiapsiagaan/tim"] button[type=submit]')]);
  const teamURL = new URL(page.url()).pathname;
  const members = await page.textContent('#members');
  assert.match(members, /Rosnani Daud/, "the asn holds Babahrot's only logistics certification");
  await Promise.all([page.waitForLoadState('load'), page.click('form[action$="/panggil"] button[type=submit]')]);
  assert.match(await page.textContent('#members'), /Belum menjawab/);
  await shot(page, '33-team-called.png');

  const phone = await newContext(PHONE);
  try {
    const p = await phone.newPage();
    await login(p, 'asn');
    assert.ok(await p.isVisible('header .badge'), 'the call-out counts as unread');
    await p.goto('/notifikasi');
    await Promise.all([p.waitForURL(/\/panggilan\/\d+$/), p.click('ul.inbox li.unread button:has-text("Panggilan tugas")')]);
    assert.match(await p.textContent('main'), /Logistik/);
    await p.fill('#eta', '20');
    await Promise.all([p.waitForLoadState('load'), p.click('form.form button[type=submit]')]);
    assert.match(await p.textContent('main .notice'), /Siap · 20 menit/);
    await shot(p, '34-phone-callout-answered.png');
  } finally {
    await phone.close();
  }
  // The coordinator's page refreshes itself every 10 s: no reload.
  assert.equal(new URL(page.url()).pathname, teamURL);
  await page.waitForFunction(() => /Siap · 20/.test(document.querySelector('#members')?.textContent ?? ''), null, { timeout: 25_000 });
  await shot(page, '35-team-answered.png');
});

test('17. on a phone the Sekda opens the leadership dashboard, follows equity to its groups, checks a TPP cut and prints the annual report', SLOW, async (t) => {
  const phone = await newContext(PHONE);
  const p = await phone.newPage();
  await login(p, 'admin');
  await p.goto('/dashboard');
  assert.match(await p.textContent('main h1'), /Dasbor pimpinan/);
  for (const tile of ['jpm', 'jp', 'equity', 'ikm', 'readiness', 'regulations', 'budget', 'talent']) {
    assert.ok(await p.isVisible(`#tile-${tile}`), `tile ${tile}`);
  }
  assert.match(await p.textContent('section.attention'), /paling tertinggal/);
  // Nothing is wider than the phone.
  const wide = await p.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 390 + 1, `page width ${wide}`);
  await shot(p, '40-dashboard-phone.png');
  await Promise.all([p.waitForURL(/\/pemerataan/), p.click('#tile-equity h2 a')]);
  assert.match(await p.textContent('main h1'), /Pemerataan/);
  assert.ok(await p.isVisible('figure.chart.lorenz svg polyline.jp'), 'the Lorenz curve');
  assert.ok((await p.$$eval('#worst-title + ol li', (li) => li.length)) > 0, 'the worst gaps in words');
  await p.selectOption('#by', 'kecamatan');
  await Promise.all([p.waitForURL(/by=kecamatan/), p.click('form.filters button[type=submit]')]);
  assert.match(await p.textContent('main table.cards'), /Kecamatan Babahrot/);
  await shot(p, '41-equity-phone.png');
  await phone.close();

  await login(page, 'admin');
  await page.goto('/tpp');
  const last = await page.$eval('#month option:nth-child(2)', (o) => o.value);
  await page.goto(`/tpp?month=${last}`);
  assert.match(await page.textContent('main'), /ditetapkan/);
  const cut = page.locator('main table.cards tbody tr', { has: page.locator('span.tag') }).first();
  await cut.locator('details summary').click();
  assert.match(await cut.locator('details ol').textContent(), /Terlambat|Tanpa keterangan/);
  await shot(page, '42-tpp.png');
  const csv = await page.request.get(`/tpp?month=${last}&format=csv`);
  assert.equal(csv.status(), 200);
  assert.match(await csv.text(), /^nip,nama,unit,jabatan,kelas_jabatan,tpp_dasar/);
  const pdf = await page.request.get('/dashboard/laporan?format=pdf');
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
});

test('18. an ASN on a phone sees their points and leaves the leaderboard; a stranger checks a colleague\'s badge; BKPSDM reads the recognition lists and the letter', SLOW, async (t) => {
  const phone = await newContext(PHONE);
  const p = await phone.newPage();
  await login(p, 'asn');
  await p.goto('/poin');
  assert.match(await p.textContent('main h1'), /Poin/);
  assert.match(await p.textContent('main .stats'), /Peringkat di unit/);
  assert.ok((await p.$$eval('main table.cards tbody tr', (r) => r.length)) > 0, 'the lines of the points');
  const wide = await p.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 390 + 1, `page width ${wide}`);
  await shot(p, '43-points-phone.png');
  await Promise.all([p.waitForLoadState('load'), p.click('form[action="/poin/papan"] button')]);
  assert.match(await p.textContent('main'), /tidak ditampilkan di papan peringkat/);
  assert.equal(await p.locator('tr.me').count(), 0, 'not on the leaderboard');
  await Promise.all([p.waitForLoadState('load'), p.click('form[action="/poin/papan"] button')]);
  assert.equal(await p.locator('tr.me').count(), 1, 'back on it');
  await phone.close();

  // BKPSDM opens the unit's best learner and follows a badge; a stranger checks it.
  await login(page, 'admin');
  const board = await (await page.request.get('/api/v1/points/leaderboard?unit=PKM.06')).json();
  await page.goto(`/poin?nip=${board.rows[0].nip}`);
  const link = page.locator('ul.medals a[href^="/badges/"]').first();
  const href = await link.getAttribute('href');
  const stranger = await newContext(PHONE);
  const s = await stranger.newPage();
  await s.goto(href);
  assert.match(await s.textContent('main .notice'), /Lencana asli/);
  await shot(s, '44-badge-check-phone.png');
  const json = await (await s.request.get(`${href}.json`)).json();
  assert.ok(json.type.includes('AchievementCredential'));
  assert.equal(json.proof.cryptosuite, 'eddsa-jcs-2022');
  await stranger.close();

  await page.goto('/penghargaan');
  assert.match(await page.textContent('main h1'), /Penghargaan/);
  assert.ok((await page.$$eval('main table.cards tbody tr', (r) => r.length)) > 0, 'the Satyalancana list');
  await Promise.all([page.waitForURL(/tab=nominasi/), page.click('nav.tabs a:has-text("ASN Berprestasi")')]);
  await shot(page, '45-nominations.png');
  const pdf = await page.request.get(await page.getAttribute('a[href^="/penghargaan/surat.pdf"]', 'href'));
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
});

test('19. on a phone the national reader sees the figures of every province, follows Aceh to its regencies and downloads the table', SLOW, async (t) => {
  const phone = await newContext(PHONE);
  const p = await phone.newPage();
  await login(p, 'bkn');
  // Home is the national view; the navigation has nothing of a regency.
  assert.equal(new URL(p.url()).pathname, '/nasional');
  assert.match(await p.textContent('main h1'), /Kompetensi ASN nasional/);
  assert.equal(await p.locator('nav a[href="/employees"]').count(), 0);
  assert.match(await p.textContent('main table.cards'), /Aceh/);
  // The demo alone has one government (the national data needs PostgreSQL): no chart of one bar.
  assert.match(await p.textContent('main .stats'), /JPM rata-rata/);
  const wide = await p.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 390 + 1, `page width ${wide}`);
  await shot(p, '45-national-phone.png');
  await Promise.all([p.waitForURL(/provinsi=11/), p.click('main table.cards a[href*="provinsi=11"]')]);
  assert.match(await p.textContent('main table.cards'), /Kabupaten Aceh Barat Daya/);
  await shot(p, '46-national-aceh-phone.png');
  const csv = await p.request.get('/nasional?provinsi=11&format=csv');
  assert.equal(csv.status(), 200);
  assert.match(await csv.text(), /^kode,nama,pemerintah_daerah,jumlah_asn/);
  await phone.close();
  // A regency's admin does not see it at all.
  await login(page, 'admin');
  const res = await page.request.get('/nasional');
  assert.equal(res.status(), 404);
});
