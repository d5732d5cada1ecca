// The team screens in headless Chromium: ways into an organisation,
// asking a teammate for an introduction and following the request
// through (accepted, made, an outcome; withdrawn), goodwill at a past
// date, what leaves with a member, a candidate's ties, keyboard, dark
// mode and a phone.  sam has no links of his own: he sees alex's chains.
//   node tests/browser/test_ui_team.mjs KITH_BINARY REPO_ROOT
import { harness } from './harness.mjs';

const h = await harness(process.argv.slice(2));
const { page, check, note, call, alex, sam } = h;
const stamp = Date.now().toString(36);
const text = (sel) => page.textContent(sel).then((t) => (t || '').replace(/\s+/g, ' ').trim());
const pctOf = (x) => `${Math.round(x * 100)}%`;

try {
  const meAlex = await call(alex, '/me');
  const meSam = await call(sam, '/me');
  const orgs = (await call(alex, '/orgs?limit=1000')).items;
  const org = orgs.find((o) => o.name === 'Beacon Works') || orgs[0];
  const ways = await call(sam, `/orgs/${org.id}/ways`);
  // Two people at the organisation whom alex reaches: the first to be
  // introduced, the second to ask for and withdraw.
  const reached = ways.items.filter((w) => w.best && w.best.member.id === meAlex.id && w.best.hops >= 1);
  const [first, second] = reached;
  note(`org ${org.name} (#${org.id}): ${ways.items.length} people, alex reaches ${reached.length}; first ${first.name}, second ${second.name}`);

  await h.signIn(sam);

  await check("ways in: sam, with no links of his own, sees alex's chain into the organisation, strengths per link, alternatives, filters", async () => {
    await h.open(`#/org/${org.id}`);
    await page.waitForSelector('#ways-list li.way');
    const rows = await page.locator('#ways-list > li.way').count();
    const top = page.locator('#ways-list > li.way').first();
    const topName = (await top.locator('.way-head .name').textContent()).trim();
    const member = (await top.locator('.way-member').textContent()).trim();
    const hops = await top.locator('.way-best ol.chain .hop-strength').allTextContents();
    const askBtn = await top.locator('.ask-open').textContent();
    const alts = await top.locator('.way-alts ol.chain').count();
    await h.shot('org-ways-sam');
    const apiTop = ways.items[0];
    const want = apiTop.best.edges.map(pctOf);
    // Filters: current only, then a role word, against the API.
    await page.check('#ways-current');
    await page.waitForFunction(() => document.querySelector('#ways-out').getAttribute('aria-busy') === 'false' && document.querySelector('#ways-count'));
    const cur = await call(sam, `/orgs/${org.id}/ways?current=1`);
    const curRows = await page.locator('#ways-list > li.way').count();
    const formerShown = await page.locator('#ways-list .badge:text-is("former")').count();
    const title = (first.jobs[0].title || '').split(' ')[0];
    await page.uncheck('#ways-current');
    await page.fill('#ways-role', title);
    await page.click('#ways button[type=submit]');
    await page.waitForFunction(() => document.querySelector('#ways-out').getAttribute('aria-busy') === 'false');
    const roleApi = await call(sam, `/orgs/${org.id}/ways?role=${encodeURIComponent(title)}`);
    const roleRows = await page.locator('#ways-list > li.way').count();
    if (!(rows === ways.items.length && topName === apiTop.name && member === 'alex' && JSON.stringify(hops) === JSON.stringify(want)
      && /Ask alex/.test(askBtn) && alts === (apiTop.alternatives || []).length
      && curRows === cur.items.length && formerShown === 0 && roleRows === roleApi.items.length && roleRows < rows))
      throw new Error(JSON.stringify({ rows, n: ways.items.length, topName, member, hops, want, askBtn, alts, curRows, cur: cur.items.length, formerShown, title, roleRows, role: roleApi.items.length }));
  });

  await check('way to anyone: sam has no chain of his own, is told so, and asks alex for an introduction from the team list (keyboard, Escape cancels)', async () => {
    await h.open(`#/intro?to=${first.id}`);
    await page.waitForSelector('#intro-none');
    await page.waitForSelector(`#team-list li[data-member="${meAlex.id}"] .ask-open`);
    const none = await text('#intro-none');
    const btn = page.locator(`#team-list li[data-member="${meAlex.id}"] .ask-open`);
    await btn.focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('#team-list .ask-note');
    const focusedNote = await page.evaluate(() => document.activeElement.classList.contains('ask-note'));
    await page.keyboard.press('Escape');
    const backOnButton = await page.evaluate(() => document.activeElement.classList.contains('ask-open'));
    await btn.click();
    await page.fill('#team-list .ask-note', `Would love to meet them ${stamp}`);
    await h.shot('intro-ask-sam');
    await page.click('#team-list .ask-form button[type=submit]');
    await page.waitForSelector('#team-list .ask-done');
    const done = await text('#team-list .ask-done');
    const mine = (await call(sam, '/intro/requests?side=from_me')).items;
    const r = mine.find((x) => x.note === `Would love to meet them ${stamp}`);
    if (!(/alex has one/.test(none) && focusedNote && backOnButton && /Asked alex/.test(done) && r && r.status === 'asked'
      && r.to.id === first.id && r.asked.id === meAlex.id && r.chain[0].id === meAlex.person.id))
      throw new Error(JSON.stringify({ none, focusedNote, backOnButton, done, r }));
  });

  await check('a second request, asked from the organisation page, then withdrawn by sam after a confirmation', async () => {
    await h.open(`#/org/${org.id}`);
    const row = page.locator(`#ways-list > li.way[data-person="${second.id}"]`);
    await row.locator('.way-best .ask-open').click();
    await row.locator('.ask-note').fill(`Second ${stamp}`);
    await row.locator('.ask-form button[type=submit]').click();
    await row.locator('.ask-done').waitFor();
    await h.open('#/intros');
    const card = page.locator('#intros-from-me li.request', { hasText: second.name });
    const before = await card.getAttribute('data-status');
    await card.locator('button[data-act=withdraw]').click();
    await page.waitForSelector('dialog.confirm[open]');
    await page.click('dialog.confirm button:has-text("Withdraw")');
    await page.waitForSelector(`#intros-from-me li.request[data-status="withdrawn"]`);
    const r = (await call(sam, '/intro/requests?side=from_me')).items.find((x) => x.note === `Second ${stamp}`);
    const firstCard = page.locator('#intros-from-me li.request', { hasText: first.name });
    const firstStatus = await firstCard.getAttribute('data-status');
    const steps = await firstCard.locator('.steps .step').allTextContents();
    await h.shot('intros-sam');
    if (!(before === 'asked' && r && r.status === 'withdrawn' && firstStatus === 'asked' && steps.length === 4 && /asked/.test(steps[0])))
      throw new Error(JSON.stringify({ before, r, firstStatus, steps }));
  });

  await check('alex sees the request to him, accepts it, marks it made; the favour to sam shows in the balance; sam records the outcome', async () => {
    await h.signIn(alex);
    await h.open('#/intros');
    const card = () => page.locator('#intros-to-me li.request', { hasText: first.name });
    const head = await card().locator('.request-head').textContent();
    const noteShown = await card().locator('.request-note').textContent();
    const withdrawnToo = await page.locator('#intros-to-me li.request[data-status="withdrawn"]').count();
    await card().locator('button[data-act=accept]').click();
    await page.waitForSelector('#intros-to-me li.request[data-status="accepted"]');
    const focusAfter = await page.evaluate(() => document.activeElement && document.activeElement.dataset.act);
    await card().locator('button[data-act=mark]').click();
    await page.waitForSelector('#intros-to-me li.request[data-status="made"]');
    const madeSteps = await card().locator('.steps .step.done').count();
    await h.shot('intros-alex-made');
    const bal = await call(alex, `/balance?person=${meSam.person.id}`);
    const it = (bal.items || []).find((x) => x.person === meSam.person.id);
    await h.open(`#/person/${meSam.person.id}`);
    await page.waitForSelector('#balance .balance');
    const balText = await text('#balance');
    await h.open('#/insights');
    await page.waitForSelector('#balance-table');
    const row = await text(`#balance-table tr:has(a[href="#/person/${meSam.person.id}"])`);
    // sam says what came of it.
    await h.signIn(sam);
    await h.open('#/intros');
    const samCard = page.locator('#intros-from-me li.request[data-status="made"]');
    await samCard.locator('select').selectOption('met');
    await samCard.locator('.outcome-form button').click();
    await page.waitForSelector('#intros-from-me li.request[data-status="made"] .badge:text-is("met")');
    const r = (await call(sam, '/intro/requests?side=from_me')).items.find((x) => x.note === `Would love to meet them ${stamp}`);
    if (!(/sam asks you to introduce them to/.test(head) && noteShown.includes(stamp) && withdrawnToo === 1 && focusAfter === 'mark'
      && madeSteps === 3 && it && it.given === 1 && /you gave 1/.test(balText) && /sam/.test(row) && /they owe you 1/.test(row)
      && r.status === 'made' && r.outcome === 'met' && r.favour && r.interaction))
      throw new Error(JSON.stringify({ head, noteShown, withdrawnToo, focusAfter, madeSteps, it, balText, row, r }));
  });

  await check('goodwill: stock chart and figures, per member and per month, going dry; a past date through the date picker matches the API', async () => {
    await h.signIn(alex);
    await h.open('#/goodwill');
    await page.waitForSelector('#gw-chart');
    const g = await call(alex, '/goodwill');
    const bars = await page.locator('#gw-chart rect.bar').count();
    const memberRows = await page.locator('#gw-members-table tbody tr').count();
    const alexRow = await page.locator('#gw-members-table tbody tr:has(th:text-is("alex")) td').allTextContents();
    const down = await page.locator('#gw-down-list li').count();
    const people = await text('#gw-summary .stat:first-child .v');
    await h.shot('goodwill-desktop');
    // A past date: before the introduction was asked for.
    const past = new Date(Date.now() - 200 * 86400000).toISOString().slice(0, 10);
    await page.fill('#gw-now', past);
    await page.selectOption('#gw-months', '6');
    await page.click('form[aria-label="Goodwill as of a date"] button[type=submit]');
    await page.waitForFunction((d) => location.hash.includes(`now=${d}`), past);
    await h.settle();
    await page.waitForSelector('#gw-chart');
    const gp = await call(alex, `/goodwill?now=${past}&months=6`);
    const pastPeople = await text('#gw-summary .stat:first-child .v');
    const pastMade = await text('#gw-summary .stat:nth-child(4) .v');
    const pastBars = await page.locator('#gw-chart rect.bar').count();
    const heading = await text('#gw-stock-title');
    const aMember = g.members.find((m) => m.member.name === 'alex');
    if (!(bars === g.series.length && memberRows === g.members.length && alexRow[2] === String(aMember.made) && aMember.made >= 1
      && down === g.trending_down.length && people === g.stock.people.toLocaleString('en')
      && pastPeople === gp.stock.people.toLocaleString('en') && pastMade === String(gp.introductions.made) && gp.introductions.made === 0
      && pastBars === gp.series.length && heading.includes(new Date(Date.parse(gp.now)).getUTCFullYear())))
      throw new Error(JSON.stringify({ bars, series: g.series.length, memberRows, alexRow, made: aMember.made, down, people, stock: g.stock, pastPeople, pastMade, gp: gp.stock, pastBars, heading }));
  });

  await check('what leaves with a member: held by one member only, organisations lost, the teammate to meet; one member at a time', async () => {
    // sam links (weakly) to someone only alex holds: sam becomes the
    // teammate to meet them.
    const l0 = await call(alex, '/leaves');
    const held0 = l0.held_by_one[0];
    await call(sam, '/links', { method: 'POST', json: { a: String(meSam.person.id), b: String(held0.id), kind: 'knows' } });
    await h.open('#/leaves');
    await page.waitForSelector('#held-by-one');
    const l = await call(alex, '/leaves');
    const shownFirst = await page.locator('#held-table tbody tr').count();
    if (await page.locator('#held-by-one .show-more').count()) await page.click('#held-by-one .show-more');
    const tableRows = await page.locator('#held-table tbody tr').count();
    const heldX = l.held_by_one.find((x) => x.id === held0.id);
    const suggestRow = await text(`#held-table tr[data-person="${held0.id}"]`);
    await page.locator(`#leaves-member-${meAlex.id} .leaves-meet > summary`).click();
    const suggestCard = await text(`#leaves-member-${meAlex.id} li[data-person="${held0.id}"] .suggest`);
    const alexCard = await text(`#leaves-member-${meAlex.id} .leaves-summary`);
    const samCard = await text(`#leaves-member-${meSam.id} .leaves-summary`);
    const lostChips = await page.locator(`#leaves-member-${meAlex.id} .org-chips a`).count();
    const a = l.members.find((m) => m.member.id === meAlex.id);
    await h.shot('leaves-desktop');
    await page.selectOption('#lv-member', String(meSam.id));
    await page.click('form[aria-label="Whose relationships"] button[type=submit]');
    await page.waitForFunction(() => location.hash.includes('member='));
    await h.settle();
    const onlySam = await page.locator('.leaves-member').count();
    const tableGone = await page.locator('#held-by-one').count();
    if (!(shownFirst === Math.min(40, l.held_by_one.length) && tableRows === l.held_by_one.length && heldX && heldX.suggest && heldX.suggest.member.id === meSam.id
      && suggestRow.includes(`sam · ${pctOf(heldX.suggest.strength)}`) && /sam should meet them/.test(suggestCard) && alexCard.includes(`${a.held.length} relationship`) && alexCard.includes('only you hold')
      && lostChips === a.lost_orgs.length && /Nothing leaves with sam/.test(samCard) && onlySam === 1 && tableGone === 0))
      throw new Error(JSON.stringify({ shownFirst, suggestRow, suggestCard, heldX, tableRows, n: l.held_by_one.length, alexCard, samCard, lostChips, lost: a.lost_orgs.length, onlySam, tableGone }));
  });

  await check("a candidate on the person page: degree to each member, chains with strengths, vouches with trust, mutual contacts", async () => {
    // alex vouches for the second person, so there is a vouch to show.
    await call(alex, '/vouches', { method: 'POST', json: { subject: String(second.id), notes: `ui ${stamp}` } });
    await h.signIn(sam);
    const c = await call(sam, `/people/${second.id}/candidate`);
    await h.open(`#/person/${second.id}`);
    await page.click('#candidate > summary');
    await page.waitForSelector('#candidate-members li');
    const items = await page.locator('#candidate-members > li').count();
    const alexTie = await text(`#candidate-members > li[data-member="${meAlex.id}"]`);
    const samTie = await text(`#candidate-members > li[data-member="${meSam.id}"]`);
    const vouch = await text('#candidate-vouches li');
    const a = c.members.find((t) => t.member.id === meAlex.id);
    const sTie = c.members.find((t) => t.member.id === meSam.id);
    const v = c.vouches[0];
    await h.shot('candidate-desktop');
    const trustText = v.trust == null ? 'no trust set' : `trust ${pctOf(v.trust)}`;
    if (!(items === c.members.length && alexTie.includes(`${a.degree} link`) && alexTie.includes(pctOf(a.strongest.strength))
      && (a.mutual.length === 0 || alexTie.includes('mutual contact'))
      && (sTie.degree == null ? /not within reach/.test(samTie) : samTie.includes(`${sTie.degree} links away`))
      && vouch.includes('Alex Morgan') && vouch.includes(trustText) && vouch.includes("a member's own vouch (alex)")))
      throw new Error(JSON.stringify({ items, alexTie, samTie, vouch, a, v }));
  });

  await check('dark mode: the new screens follow the system setting', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await h.signIn(alex);
    await h.open('#/intros');
    const card = await page.evaluate(() => getComputedStyle(document.querySelector('.panel')).backgroundColor);
    const step = await page.evaluate(() => { const s = document.querySelector('.steps .step.done'); return s ? [getComputedStyle(s).color, getComputedStyle(s).backgroundColor] : null; });
    await h.shot('intros-dark');
    await h.open('#/goodwill');
    await page.waitForSelector('#gw-chart');
    const bar = await page.evaluate(() => getComputedStyle(document.querySelector('#gw-chart rect.bar')).fill);
    await h.shot('goodwill-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    const lum = (c) => { const [r, g, b] = c.match(/\d+/g).map(Number); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
    if (!(lum(card) < 60 && step && lum(step[0]) > 150 && lum(step[1]) < 80 && lum(bar) < 80)) throw new Error(JSON.stringify({ card, step, bar }));
  });

  await check('phone-sized screen: ways in, asking, requests, goodwill, leaves and a candidate fit without sideways scrolling', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const wide = [];
    for (const [hash, name] of [[`#/org/${org.id}`, 'org-ways'], [`#/intro?to=${second.id}`, 'intro-ask'], ['#/intros', 'intros'], ['#/goodwill', 'goodwill'],
      ['#/leaves', 'leaves'], [`#/person/${second.id}`, 'candidate']]) {
      await h.open(hash);
      if (name === 'org-ways') { await page.waitForSelector('#ways-list'); await page.locator('#ways-list .way-alts > summary').first().click(); }
      if (name === 'intro-ask') {
        await page.waitForSelector('#intro-results svg, #intro-results .empty, #intro-none');
        const b = page.locator('.ask-open').first();
        if (await b.count()) await b.click();
      }
      if (name === 'candidate') { await page.click('#candidate > summary'); await page.waitForSelector('#candidate-members li'); }
      await h.shot(`${name}-phone`);
      const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (over > 1) wide.push(`${name}: ${over}px`);
    }
    await page.setViewportSize({ width: 1280, height: 860 });
    if (wide.length) throw new Error(`too wide: ${wide.join(', ')}`);
  });

  await check('every control on the new screens is labelled, and the new places are in the navigation', async () => {
    const bad = [];
    await h.signIn(sam);
    for (const hash of [`#/org/${org.id}`, '#/intros', '#/goodwill', '#/leaves', `#/intro?to=${first.id}`]) {
      await h.open(hash);
      if (hash.startsWith('#/intro?')) { await page.waitForSelector('.ask-open'); await page.locator('.ask-open').first().click(); }
      const un = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea')].filter((el) => {
        if (el.type === 'hidden' || el.offsetParent === null) return false;
        const id = el.id;
        return !(el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || (id && document.querySelector(`label[for="${id}"]`)) || el.closest('label'));
      }).map((el) => el.id || el.outerHTML.slice(0, 60)));
      if (un.length) bad.push(`${hash}: ${un.join(', ')}`);
    }
    const nav = await page.locator('a[data-nav=intros], a[data-nav=goodwill]').count();
    if (bad.length || nav !== 2) throw new Error(JSON.stringify({ bad, nav }));
  });

  const unexpected = h.problems.filter((p) => !/status of (409|412|403)\b/.test(p));
  h.ok(unexpected.length === 0, 'no console errors, script errors or CSP violations', unexpected.slice(0, 10).join('\n'));
} catch (e) {
  h.ok(false, 'browser test setup', e && e.stack ? e.stack : e);
}
await h.finish();
