// gongshi serve in Chromium (issue #21): a page open in the browser
// reloads by itself after a record file is saved, with no console error
// (a Content-Security-Policy refusing the reload script would log one).
// Prints the time from each save to the reloaded page.
//
// Usage: node reload.mjs GONGSHI REPO   (REPO: a record whose working
// tree may be edited; content/site.json's name is changed and restored)
// Environment: CHROMIUM (default /usr/bin/chromium), RELOAD_ROUNDS (5).
// Closes with "reload: N passed, M failed" and exits 1 on failure.

import { readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [gongshi, repo] = process.argv.slice(2);
if (!gongshi || !repo) {
  console.error('usage: node reload.mjs GONGSHI REPO');
  process.exit(2);
}
let passed = 0;
let failed = 0;
function check(ok, what, detail) {
  if (ok) passed++;
  else {
    failed++;
    console.log(`FAIL reload: ${what}${detail ? ': ' + detail : ''}`);
  }
  return ok;
}

const port = await new Promise((resolve) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
});
const server = spawn(gongshi, ['-C', repo, 'serve', '--port', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise((resolve, reject) => {
  server.stdout.once('data', resolve);
  server.once('exit', (code) => reject(new Error(`gongshi serve exited with ${code}`)));
});

const sitePath = join(repo, 'content', 'site.json');
const original = readFileSync(sitePath, 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  chromiumSandbox: false,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const times = [];
try {
  const page = await browser.newPage();
  const problems = [];
  // the browser's own request for /favicon.ico (the site has none)
  page.on('console', (m) => {
    if (m.type() !== 'error' && m.type() !== 'warning') return;
    if (/ 404 /.test(m.text()) && m.location().url.endsWith('/favicon.ico')) return;
    problems.push(`${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`); });
  await page.goto(`http://127.0.0.1:${port}/`);
  check(await page.locator('p.draft').count() === 1, 'the preview carries the draft banner');
  const rounds = Number(process.env.RELOAD_ROUNDS) || 5;
  for (let i = 1; i <= rounds; i++) {
    const name = `重载测试站点${i}`;
    const doc = JSON.parse(original);
    doc.name = name;
    const loaded = page.waitForEvent('load', { timeout: 10000 }).catch(() => null);
    const t0 = performance.now();
    writeFileSync(sitePath, JSON.stringify(doc, null, 2) + '\n');
    const ok = await page.waitForFunction((n) => document.title.includes(n), name, { timeout: 10000, polling: 10 })
      .then(() => true, () => false);
    const t = performance.now() - t0;
    check(ok && (await loaded) !== null, `the page reloaded after save ${i}`);
    if (ok) times.push(t);
  }
  check(problems.length === 0, 'no console error or warning (the CSP allows the reload script)', problems.join('; '));
} finally {
  writeFileSync(sitePath, original);
  await browser.close();
  server.kill('SIGINT');
}
if (times.length) {
  times.sort((a, b) => a - b);
  console.log(`reload: save to reloaded page ${times.map((t) => t.toFixed(0)).join(', ')} ms; ` +
    `median ${times[Math.floor(times.length / 2)].toFixed(0)} ms`);
}
console.log(`reload: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
