// Search gate (issue #22): the demo site's search/ page in Debian's
// Chromium, driven by playwright-core, served by nginx (serve.py demo).
//
// Usage: serve.py demo -- node search.mjs
//
//  - ESLint on themes/default/assets/search.js and this file;
//  - search.js's tokenizer on tests/unit/search-cases.txt, the table the
//    C tokenizer's unit test reads (one rule set, two languages);
//  - for every organization, award and notice of the demo record, a 2- to
//    4-character piece of its name (the rarest such piece among all the
//    record's names, as a person types the distinctive part) finds its page
//    among the first five results; an award also by its certificate number;
//  - a query for something absent says nothing was found;
//  - results come ten at a time: the "more" button, pressed from the
//    keyboard, adds the next ten, moves the focus to the first of them
//    and the status line (in the live region) says how many are shown;
//  - frequent terms (served as "term":0, as the writer writes a term held
//    by too many documents): a query of frequent terms only asks for more
//    characters; one with another term still finds its organization;
//  - an exact certificate number, typed and submitted or given as ?q=,
//    opens its page;
//  - axe-core (WCAG 2.0/2.1 A and AA) finds nothing with results shown;
//  - no request leaves the site, no console error, no failed request;
//  - with JavaScript off, the page says so and links indexes that exist;
//  - at 360 px nothing is wider than the window;
//  - the keyboard reaches results (Tab, arrow keys).
// Reports (never asserts) query times and bytes of index fetched.
// Closes with "search: N passed, M failed" and exits 1 on failure.
//
// Usage: serve.py site DIR -- node search.mjs measure
//
// measures instead, on any site built already (the benchmark's at size M,
// say), the queries tests/bench/run.py sizes: 4 characters of 50
// organizations' names (from the third, past the city's name) and 50
// certificate numbers, spread over the record's documents.  Each on a
// fresh page: the time search.js takes to answer with its shards fetched
// from the local nginx, then again with them downloaded (the issue's "after
// the download"), and the shards' bytes.  It prints "info" lines only.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const base = process.env.GATE_URL;
const site = process.env.GATE_SITE;
if (!base || !site) {
  console.error('usage: serve.py demo -- node search.mjs; serve.py site DIR -- node search.mjs measure');
  process.exit(2);
}
const baseHost = new URL(base).host;
const SEARCH = new URL('search/index.html', base).href;
let passed = 0;
let failed = 0;

function check(ok, what, detail) {
  if (ok) passed++;
  else {
    failed++;
    console.log(`FAIL ${what}${detail ? ': ' + detail : ''}`);
  }
  return ok;
}

function lint() {
  try {
    execFileSync(join(here, 'node_modules', '.bin', 'eslint'),
      ['-c', join(here, 'eslint.config.mjs'), 'themes/default/assets/search.js', 'tests/gates/search.mjs'],
      { cwd: root, stdio: 'pipe' });
    check(true);
    console.log('ok   eslint: search.js and search.mjs');
  } catch (e) {
    check(false, 'eslint', String(e.stdout || e.message));
  }
}

const launch = () => chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  chromiumSandbox: false,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

// Every request: a request for anywhere but the site fails the gate and
// is never sent; console errors and failed requests are problems too.
const problems = [];
async function newContext(browser, options) {
  const context = await browser.newContext(options);
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.protocol === 'data:' || (u.protocol === 'http:' && u.host === baseHost)) return route.continue();
    problems.push(`external request: ${u.href}`);
    return route.abort('blockedbyclient');
  });
  return context;
}

async function newPage(context) {
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    if (/\/assets\/favicon\.svg$/.test(r.url())) return;
    // a search superseded while typing may leave a fetch behind a navigation
    if (r.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return page;
}

// The links of the results, in the order shown, relative to the site.
async function resultLinks(page) {
  return page.$$eval('#search-results a', (as) => as.map((a) => a.href));
}

// Types q into the search field and waits for the answer.
async function ask(page, q) {
  await page.fill('#search-q', '');
  await page.evaluate(() => { document.getElementById('search-status').textContent = ''; });
  await page.fill('#search-q', q);
  await page.waitForFunction(() => {
    const s = document.getElementById('search-status');
    return s.textContent && !document.getElementById('search-region').hasAttribute('aria-busy');
  }, null, { timeout: 10000 });
  return { links: await resultLinks(page), status: await page.textContent('#search-status') };
}

function byteSort(a) {
  return [...new Set(a)].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
}

async function tokenizerCases(page) {
  const lines = readFileSync(join(root, 'tests', 'unit', 'search-cases.txt'), 'utf8').split('\n');
  let n = 0;
  for (const line of lines) {
    if (!line || line.startsWith('#')) continue;
    const [mode, text, want] = line.split('\t');
    const got = byteSort(await page.evaluate(([t, q]) => window.gongshiSearch.tokens(t, q), [text, mode === 'query']));
    check(got.join(' ') === want, `search.js tokens(${mode} "${text}")`, `got "${got.join(' ')}", want "${want}"`);
    n++;
  }
  // the shard hash, FNV-1a's published values as in test_search.c
  const h = await page.evaluate(() => [window.gongshiSearch.hash(''), window.gongshiSearch.hash('a'),
    window.gongshiSearch.hash('foobar')]);
  check(h.join() === [0x811c9dc5, 0xe40c292c, 0xbf9cf968].join(), 'search.js hash', h.join());
  console.log(`ok   search.js tokenizer on ${n} shared cases`);
}

// The record's organizations, awards and notices with their names, and
// a query for each: its rarest 2- to 4-character piece.
function targets() {
  const rec = JSON.parse(readFileSync(join(site, 'downloads', 'record.json'), 'utf8'));
  const orgName = new Map(rec.organizations.map((o) => [o.id, o.name]));
  const indName = new Map((rec.individuals || []).map((p) => [p.id, p.name]));
  const list = [];
  for (const o of rec.organizations) list.push({ kind: 'organization', name: o.name, url: `organizations/${o.id}/` });
  for (const a of rec.applications) {
    const cert = a.result && a.result.certificate;
    if (!cert || !statExists(`awards/${cert}/index.html`)) continue;
    const name = a.organization ? orgName.get(a.organization) : indName.get(a.individual);
    list.push({ kind: 'award', name, url: `awards/${cert}/`, cert });
  }
  for (const n of rec.notices) list.push({ kind: 'notice', name: n.title, url: `notices/${n.id}/` });
  const names = list.map((t) => t.name);
  for (const t of list) {
    const chars = Array.from(t.name);
    let best = null;
    for (const len of [4, 3, 2]) {
      for (let i = 0; i + len <= chars.length; i++) {
        const piece = chars.slice(i, i + len).join('');
        if (/[\s，。、（）()“”《》·：:]/.test(piece)) continue;
        const count = names.filter((n) => n.includes(piece)).length;
        if (!best || count < best.count) best = { piece, count };
      }
    }
    t.query = best.piece;
  }
  return list;
}

function statExists(path) {
  try { statSync(join(site, path)); return true; } catch { return false; }
}

function shardBytes(urls) {
  let n = 0;
  for (const u of urls) {
    const p = new URL(u).pathname.slice(1);
    if (/^search\/[td]\/[0-9a-f]+\.json$/.test(p)) n += statSync(join(site, p)).size;
  }
  return n;
}

async function findsEverything(context) {
  const page = await newPage(context);
  await page.goto(SEARCH, { waitUntil: 'load' });
  await tokenizerCases(page);
  const list = targets();
  const times = [];
  const bytes = [];
  let found = 0;
  for (const t of list) {
    // a fresh page for each query, so that its shards are counted alone
    await page.goto(SEARCH, { waitUntil: 'load' });
    const fetched = new Set();
    const on = (r) => fetched.add(r.url());
    page.on('request', on);
    const { links } = await ask(page, t.query);
    page.off('request', on);
    const want = new URL(t.url + 'index.html', base).href;
    const at = links.slice(0, 5).indexOf(want);
    if (check(at >= 0, `${t.kind} ${t.name} by "${t.query}"`, `not among the first five: ${links.slice(0, 5).join(' ')}`)) found++;
    // the same query again, its shards now downloaded: the time it answers in
    times.push(await page.evaluate(async (q) => {
      const t0 = performance.now();
      await window.gongshiSearch.search(q, false);
      return performance.now() - t0;
    }, t.query));
    bytes.push(shardBytes(fetched));
    if (t.cert) {
      // the number too, typed in lower case and with full-width hyphens
      const q = t.cert.toLowerCase().replace(/-/g, '－');
      const r = await ask(page, q);
      check(r.links.slice(0, 5).includes(want), `award ${t.cert} by "${q}"`, r.links.slice(0, 5).join(' '));
    }
  }
  console.log(`ok   ${found} of ${list.length} organizations, awards and notices found among the first five results`);
  const absent = await ask(page, '不存在的单位名称');
  check(absent.links.length === 0 && absent.status.includes('没有找到'), 'an absent name says nothing was found',
    absent.status);
  await page.close();
  return { times, bytes };
}

async function jumps(context) {
  const page = await newPage(context);
  const cert = targets().find((t) => t.cert).cert;
  const want = new URL(`awards/${cert}/index.html`, base).href;
  await page.goto(SEARCH, { waitUntil: 'load' });
  await page.fill('#search-q', cert);
  await Promise.all([page.waitForURL(want, { timeout: 10000 }).catch(() => {}), page.press('#search-q', 'Enter')]);
  check(page.url() === want, `certificate ${cert} typed and submitted opens its page`, page.url());
  await page.goto(new URL(`awards/index.html`, base).href, { waitUntil: 'load' });
  // the header's box on another page: a GET form to search/
  await page.fill('#site-q', cert);
  await Promise.all([page.waitForURL(want, { timeout: 10000 }).catch(() => {}), page.press('#site-q', 'Enter')]);
  check(page.url() === want, `certificate ${cert} in the header's search box opens its page`, page.url());
  await page.close();
  console.log(`ok   an exact certificate number opens its page`);
}

async function accessible(context) {
  const axe = require('axe-core');
  const page = await newPage(context);
  await page.goto(SEARCH, { waitUntil: 'load' });
  const cert = targets().find((t) => t.cert).cert;
  const { links } = await ask(page, cert.split('-')[0]);
  check(links.length >= 2, `results for ${cert.split('-')[0]}`, `${links.length}`);
  check(await page.$$eval('#search-results mark', (m) => m.length) > 0, 'matched characters marked');
  check(await page.$$eval('#search-results .search-state', (s) => s.length) > 0, 'awards show their status');
  await page.evaluate(axe.source);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    resultTypes: ['violations'],
  }));
  check(result.violations.length === 0, 'axe with results shown',
    result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`).join('; '));
  // keyboard: the arrow keys from the field walk the results and back
  await page.focus('#search-q');
  await page.keyboard.press('ArrowDown');
  const first = await page.evaluate(() => document.activeElement.href || '');
  await page.keyboard.press('ArrowDown');
  const second = await page.evaluate(() => document.activeElement.href || '');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  const back = await page.evaluate(() => document.activeElement.id);
  check(first === links[0] && second === links[1] && back === 'search-q', 'arrow keys move through the results',
    `${first} ${second} ${back}`);
  // Tab reaches the first result from the field
  await page.focus('#search-q');
  let tabbed = '';
  for (let i = 0; i < 4 && tabbed !== links[0]; i++) {
    await page.keyboard.press('Tab');
    tabbed = await page.evaluate(() => document.activeElement.href || '');
  }
  check(tabbed === links[0], 'Tab reaches the first result', tabbed);
  await page.close();
  console.log(`ok   axe-core ${axe.version} with results shown, keyboard`);
}

// A query with more than ten results: ten shown, then ten more.
async function moreResults(context) {
  const page = await newPage(context);
  await page.goto(SEARCH, { waitUntil: 'load' });
  const { links, status } = await ask(page, '质量');
  const total = Number((status.match(/找到 (\d+) 条/) || [])[1] || 0);
  check(total > 10 && links.length === 10, 'the first page shows ten results', `${links.length} of ${total}: ${status}`);
  check(await page.isVisible('#search-more'), 'a "more" button under them');
  check(await page.evaluate(() => document.querySelector('#search-region [aria-live], #search-region[aria-live]') !== null &&
    document.getElementById('search-region').contains(document.getElementById('search-status'))),
  'the status line is in the live region');
  await page.focus('#search-more');
  await page.evaluate(() => { document.getElementById('search-status').textContent = ''; });
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.getElementById('search-status').textContent &&
    !document.getElementById('search-region').hasAttribute('aria-busy'), null, { timeout: 10000 });
  const after = await resultLinks(page);
  const focused = await page.evaluate(() => document.activeElement.href || '');
  const status2 = await page.textContent('#search-status');
  check(after.length === Math.min(20, total) && after.slice(0, 10).join() === links.join(),
    '"more" adds the next ten after the first', `${after.length} links`);
  check(focused === after[10], 'the focus moves to the first result added', focused);
  check(new Set(after).size === after.length, 'no result shown twice');
  check(total > 20 ? status2.includes('20') : !(await page.isVisible('#search-more')),
    'the status line says how many are shown, the button hides after the last', status2);
  await page.close();
  console.log(`ok   "more": ${links.length}, then ${after.length} of ${total} results for 质量`);
}

// The term shards served with the terms of freq written as frequent.
async function withFrequent(page, freq) {
  await page.route('**/search/t/*.json', async (route) => {
    const r = await route.fetch();
    const shard = await r.json();
    for (const t of freq) if (Object.prototype.hasOwnProperty.call(shard, t)) shard[t] = 0;
    await route.fulfill({ response: r, body: JSON.stringify(shard) });
  });
}

async function frequentTerms(context) {
  const t = targets().find((x) => x.kind === 'organization' && /^[\u4e00-\u9fff]{4}$/.test(x.query));
  const first = Array.from(t.query).slice(0, 2).join('');
  const page = await newPage(context);
  await withFrequent(page, ['质量', first]);
  await page.goto(SEARCH, { waitUntil: 'load' });
  const want = await page.evaluate(() => document.getElementById('search-data').dataset.frequent.split('{q}').join('质量'));
  const only = await ask(page, '质量');
  check(only.links.length === 0 && only.status === want, 'a query of frequent terms only asks for more characters',
    only.status);
  const { links } = await ask(page, t.query);
  const url = new URL(t.url + 'index.html', base).href;
  check(links.slice(0, 5).includes(url), `${t.name} by "${t.query}", ${first} frequent`, links.slice(0, 5).join(' '));
  await page.close();
  console.log(`ok   frequent terms: left out beside others, alone they ask for more characters`);
}

async function narrow(browser) {
  const context = await newContext(browser, { viewport: { width: 360, height: 740 } });
  const page = await newPage(context);
  await page.goto(SEARCH, { waitUntil: 'load' });
  await ask(page, '质量');
  const wide = await page.evaluate(() => {
    const out = [];
    if (document.documentElement.scrollWidth > window.innerWidth) out.push(`page ${document.documentElement.scrollWidth} px`);
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width && r.right > window.innerWidth + 1) out.push(`${el.localName}.${el.className} to ${Math.round(r.right)} px`);
    }
    return out;
  });
  check(wide.length === 0, 'search/ with results at 360 px', wide.slice(0, 5).join(', '));
  await context.close();
}

async function withoutScript(browser) {
  const context = await newContext(browser, { javaScriptEnabled: false });
  const page = await newPage(context);
  await page.goto(SEARCH + '?q=' + encodeURIComponent('质量'), { waitUntil: 'load' });
  const shown = await page.evaluate(() => {
    const box = document.querySelector('.search-noscript');
    return box && box.offsetParent !== null ? [...box.querySelectorAll('a')].map((a) => a.href) : [];
  });
  check(shown.length >= 4, 'without JavaScript the page says so and links the indexes', `${shown.length} links`);
  for (const href of shown) {
    const r = await page.goto(href, { waitUntil: 'load' });
    check(r && r.status() === 200, `index ${href}`, r ? `HTTP ${r.status()}` : 'no response');
  }
  await context.close();
  console.log(`ok   without JavaScript: ${shown.length} indexes linked`);
}

function median(v) {
  const s = [...v].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : 0;
}

// The documents of the site's index, by key, in byte order.
function indexDocs() {
  const dir = join(site, 'search', 'd');
  const all = {};
  for (const f of readdirSync(dir)) Object.assign(all, JSON.parse(readFileSync(join(dir, f), 'utf8')));
  return Object.keys(all).sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))).map((k) => [k, all[k]]);
}

// The queries of tests/bench/run.py's search_sizes(), chosen the same way.
function benchQueries() {
  const docs = indexDocs();
  const pick = (v) => v.filter((_, i) => i % Math.max(1, Math.floor(v.length / 50)) === 0).slice(0, 50);
  // by the document's kind: a content page's key ("announcements/...")
  // starts with an award's letter
  const names = pick(docs.filter(([, d]) => d[0] === 'organization').map(([, d]) => Array.from(d[1])))
    .filter((c) => c.length >= 6).map((c) => c.slice(2, 6).join(''));
  const certs = pick(docs.filter(([, d]) => d[0] === 'award').map(([k]) => k.slice(1).toLowerCase()));
  return { names, certs, ndocs: docs.length };
}

async function measureOne(page, q) {
  await page.goto(SEARCH, { waitUntil: 'load' });
  const fetched = new Set();
  const on = (r) => fetched.add(r.url());
  page.on('request', on);
  const first = await page.evaluate(async (x) => {
    const t0 = performance.now();
    await window.gongshiSearch.search(x, false);
    return performance.now() - t0;
  }, q);
  page.off('request', on);
  const after = await page.evaluate(async (x) => {
    const t0 = performance.now();
    await window.gongshiSearch.search(x, false);
    return performance.now() - t0;
  }, q);
  const found = await page.$$eval('#search-results a', (as) => as.length);
  return { first, after, bytes: shardBytes(fetched), found };
}

async function measure() {
  const { names, certs, ndocs } = benchQueries();
  const context = await newContext(browser, { viewport: { width: 1280, height: 900 } });
  const page = await newPage(context);
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`info ${ndocs} documents; load average ${load}`);
  for (const [what, qs] of [['4 characters of a name', names], ['a certificate number', certs]]) {
    const r = [];
    for (const q of qs) r.push(await measureOne(page, q));
    const f = (v) => `median ${median(v).toFixed(1)} ms, max ${Math.max(0, ...v).toFixed(1)} ms`;
    console.log(`info ${what}, ${qs.length} queries (${r.filter((x) => x.found).length} with results): ` +
      `query time after download ${f(r.map((x) => x.after))}; with download from local nginx ` +
      `${f(r.map((x) => x.first))}; index fetched median ${median(r.map((x) => x.bytes))} bytes, ` +
      `max ${Math.max(0, ...r.map((x) => x.bytes))} bytes`);
  }
  await context.close();
  if (problems.length) console.log(`info problems: ${problems.slice(0, 5).join('; ')}`);
}

const browser = await launch();
if (process.argv[2] === 'measure') {
  try {
    await measure();
  } finally {
    await browser.close();
  }
  process.exit(0);
}
try {
  lint();
  const context = await newContext(browser, { viewport: { width: 1280, height: 900 } });
  const { times, bytes } = await findsEverything(context);
  await jumps(context);
  await accessible(context);
  await moreResults(context);
  await frequentTerms(context);
  await context.close();
  await narrow(browser);
  await withoutScript(browser);
  check(problems.length === 0, 'no external request, console error or failed request', problems.slice(0, 5).join('; '));
  console.log(`info query time (after download): median ${median(times).toFixed(1)} ms, max ${Math.max(0, ...times).toFixed(1)} ms; ` +
    `index fetched per query: median ${median(bytes)} bytes, max ${Math.max(0, ...bytes)} bytes`);
} finally {
  await browser.close();
}
console.log(`search: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
