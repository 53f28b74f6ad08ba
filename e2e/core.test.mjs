// Browser scenarios 1–10: the competency core and performance (employees, audit, scoping,
// hostile input, the phone layout, standards, assessments, ratings). Harness: ./harness.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  BAD_NIP, HOSTILE_NAME, HOSTILE_NIP, NEW_PHONE, PHONE, SLOW, dialogs, edited, employeeRows,
  login, logout, newContext, page, shot, typeSearch, useServer,
} from './harness.mjs';

useServer();

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
