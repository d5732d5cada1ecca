// What the browser test files share: a demo database with two members
// (alex, who is "me" and the team's owner, and sam), `kith serve` on a free
// loopback port, headless Chromium, TAP output and screenshots under
// build/browser-shots/.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

export async function harness(argv) {
  const [kith, repoArg] = argv;
  if (!kith || !repoArg) {
    console.error('usage: node FILE.mjs KITH REPO_ROOT');
    process.exit(2);
  }
  const repo = path.resolve(repoArg);
  const { chromium } = await import(path.join(repo, 'tests/browser/node_modules/playwright-core/index.mjs'));
  const shots = path.join(repo, 'build', 'browser-shots');
  fs.mkdirSync(shots, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kith-ui-'));
  const env = { ...process.env, KITH_DB: path.join(tmp, 'kith.db'), TZ: 'UTC' };
  const run = (...args) => execFileSync(kith, args, { env, encoding: 'utf8' });

  let n = 0, failed = 0;
  const ok = (cond, name, detail) => {
    n++;
    if (cond) console.log(`ok ${n} - ${name}`);
    else { failed++; console.log(`not ok ${n} - ${name}`); if (detail) console.log(`# ${String(detail).split('\n').join('\n# ')}`); }
    return cond;
  };
  const note = (s) => console.log(`# ${s}`);
  async function check(name, fn) {
    const t0 = Date.now();
    try {
      const r = await fn();
      ok(r !== false, name);
    } catch (e) {
      ok(false, name, e && e.stack ? e.stack.split('\n').slice(0, 4).join('\n') : e);
    }
    const ms = Date.now() - t0;
    if (ms > 8000) note(`(${name}: ${ms} ms)`);
  }

  const h = { repo, shots, tmp, env, run, ok, note, check, server: null, ctx: null };
  h.cleanup = async () => {
    try { if (h.ctx) await h.ctx.close(); } catch (e) { /* gone */ }
    if (h.server && h.server.exitCode === null) h.server.kill('SIGTERM');
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  h.finish = async () => {
    await h.cleanup();
    console.log(`1..${n}`);
    process.exit(failed ? 1 : 0);
  };

  run('init', '--me', 'Alex Morgan', '--email', 'alex@kith.example');
  run('demo', '--seed', '42');
  h.alex = JSON.parse(run('--json', 'member', 'add', 'alex', '--person', 'me')).token;
  h.sam = JSON.parse(run('--json', 'member', 'add', 'sam')).token;

  h.server = spawn(kith, ['serve', '--listen', '127.0.0.1:0', '--web', path.join(repo, 'web')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  h.server.stderr.on('data', () => {});
  h.base = await new Promise((resolve, reject) => {
    const rl = createInterface({ input: h.server.stdout });
    const t = setTimeout(() => reject(new Error('kith serve printed no URL')), 15000);
    rl.once('line', (line) => {
      clearTimeout(t);
      const m = line.match(/ at (http:\/\/\S+)/);
      m ? resolve(m[1].replace(/\/$/, '')) : reject(new Error(`unexpected first line: ${line}`));
    });
    h.server.once('exit', (c) => reject(new Error(`kith serve exited ${c}`)));
  });
  ok(true, `kith serve is up at ${h.base}`);

  // The API as a member, for setting up and for checking what the UI did.
  h.call = async (tok, p, opts = {}) => {
    const res = await fetch(h.base + '/api/v1' + p, {
      method: opts.method || 'GET',
      headers: { Authorization: `Bearer ${tok}`, 'Content-Type': 'application/json' },
      body: opts.json ? JSON.stringify(opts.json) : undefined,
    });
    const body = res.status === 204 ? null : await res.json().catch(() => null);
    if (opts.status) return { status: res.status, body };
    return body;
  };

  const userData = fs.mkdtempSync(path.join(tmp, 'chromium-'));
  h.ctx = await chromium.launchPersistentContext(userData, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 860 },
    acceptDownloads: true,
  });
  const page = h.ctx.pages()[0] || await h.ctx.newPage();
  page.setDefaultTimeout(10000);
  h.page = page;
  h.problems = [];
  page.on('console', (m) => { if (m.type() === 'error' || /Content.Security.Policy|Refused to/i.test(m.text())) h.problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => h.problems.push(`page error: ${e.message}`));
  h.shot = (name, full = true) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: full });
  h.settle = () => page.waitForFunction(() => !document.querySelector('[aria-busy="true"]') && !document.querySelector('.loading'));
  // Signs in by token (the sign-in screen itself is tested in test_ui.mjs).
  h.signIn = async (tok) => {
    await page.goto(h.base + '/');
    await page.evaluate((t) => sessionStorage.setItem('kith.token', t), tok);
    await page.reload();
    await page.waitForSelector('main h1');
  };
  // Opens a screen afresh (reloading when it is the one shown).
  h.open = async (hash) => {
    const same = page.url() === h.base + '/' + hash;
    await page.goto(h.base + '/' + hash);
    if (same) await page.reload();
    await page.waitForSelector('main h1');
    await h.settle();
  };
  return h;
}
