// Browser scenarios 11–19: learning, the 20-JP report, training plans, service quality,
// regulations, crisis readiness, leadership and equity, recognition, the national view.
// Harness: ./harness.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  HOSTILE_NAME, PHONE, SLOW, browser, dialogs, login, newContext, page, server, shot, useServer,
} from './harness.mjs';

useServer();

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
