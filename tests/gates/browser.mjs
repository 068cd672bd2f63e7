// Browser gates (issue #5): Debian's Chromium, driven by playwright-core,
// against a site that tests/gates/serve.py serves with nginx.
//
// Usage: serve.py demo -- node browser.mjs pages   every page: no console error,
//                                                   no failed or external request,
//                                                   no horizontal scrolling at 360 px,
//                                                   no chart label cut off; at 360 and
//                                                   1280 px no element wider than the
//                                                   window, no table column under four
//                                                   characters (unless shown as cards),
//                                                   chart text 14-20 px; no raw data
//                                                   ($schema, JSON, \n, record ids) in
//                                                   any text; every file valid UTF-8;
//                                                   screenshots and a corrected notice
//                                                   printed to A4 (pdftotext: head first,
//                                                   no page ending on a heading)
//        serve.py demo -- node browser.mjs a11y    axe-core, WCAG 2.0/2.1 A and AA, every page
//        serve.py xss  -- node browser.mjs xss     no payload of the poisoned record runs
//
// Environment: GATE_URL, GATE_SITE (from serve.py), CHROMIUM (default
// /usr/bin/chromium), SCREENSHOTS (default build/screenshots), GATE_TABS
// (pages open at once, default 2: one a core).
// Closes with "browser: N passed, M failed" (a11y:, xss:) and exits 1 on failure.

import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const mode = process.argv[2];
const base = process.env.GATE_URL;
const site = process.env.GATE_SITE;
if (!['pages', 'a11y', 'xss'].includes(mode) || !base || !site) {
  console.error('usage: serve.py demo|xss -- node browser.mjs pages|a11y|xss');
  process.exit(2);
}
const baseHost = new URL(base).host;
const shots = process.env.SCREENSHOTS || join(root, 'build', 'screenshots');
const tabsAtOnce = Math.max(1, Number(process.env.GATE_TABS) || 2);
const name = { pages: 'browser', a11y: 'a11y', xss: 'xss' }[mode];
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

// Every file of the site, from SHA256SUMS, as URLs relative to the base.
const files = readFileSync(join(site, 'SHA256SUMS'), 'utf8')
  .split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.slice(l.indexOf('  ') + 2));
const htmlPages = files.filter((f) => f.endsWith('.html'));
const urlOf = (path) => new URL(path.split('/').map(encodeURIComponent).join('/'), base).href;

// The one 404 expected: the main document of a missing page (Chromium
// logs it to the console as well).
const MISSING = 'no-such-page/';
const expected404 = (url) => url === new URL(MISSING, base).href;

// The flags that work here as root: no sandbox (root), and none of
// Chromium's own connections to Google, which this machine's closed
// network refuses.  playwright-core starts it with a fresh
// --user-data-dir of its own every time (and removes it after).
const launch = () => chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  chromiumSandbox: false,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

// A tab, and what went wrong in it since the page it is on was opened.
const tabOf = new WeakMap();
async function newTab(context) {
  const page = await context.newPage();
  const tab = { page, problems: [] };
  tabOf.set(page, tab);
  page.on('console', (m) => {
    if (m.type() !== 'error' && m.type() !== 'warning') return;
    if (/^Failed to load resource: .* 404/.test(m.text()) && expected404(m.location().url)) return;
    tab.problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => tab.problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    // the icon is fetched after load, and cancelled when the tab moves on
    if (/\/assets\/favicon\.svg$/.test(r.url()) && r.failure()?.errorText === 'net::ERR_ABORTED') return;
    tab.problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !(r.status() === 404 && expected404(r.url())))
      tab.problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return tab;
}

// A context in which a request for anywhere but the site's own server
// fails its page and is never sent.
async function newContext(browser, options) {
  const context = await browser.newContext(options);
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.protocol === 'data:' || (u.protocol === 'http:' && u.host === baseHost)) return route.continue();
    const tab = tabOf.get(route.request().frame().page());
    if (tab) tab.problems.push(`external request: ${u.href}`);
    return route.abort('blockedbyclient');
  });
  return context;
}

// fn(tab, path) for every path, on tabsAtOnce tabs at once.
async function eachPage(context, paths, fn, setup = async () => {}) {
  let next = 0;
  const tabs = [];
  for (let i = 0; i < Math.min(tabsAtOnce, paths.length); i++) {
    const tab = await newTab(context);
    await setup(tab);
    tabs.push(tab);
  }
  await Promise.all(tabs.map(async (tab) => {
    while (next < paths.length) {
      const path = paths[next++];
      tab.problems = [];
      await fn(tab, path);
    }
  }));
  for (const tab of tabs) await tab.page.close();
}

// One page of each type, for the screenshots people look at.
function pageTypes() {
  const first = (re) => htmlPages.find((p) => re.test(p));
  const types = {
    home: 'index.html',
    programs: 'programs/index.html',
    program: first(/^programs\/[^/]+\/index\.html$/),
    round: first(/^rounds\/[^/]+\/index\.html$/),
    notice: first(/^notices\/[^/]*proposed[^/]*\/index\.html$/) || first(/^notices\/[^/]+\/index\.html$/),
    organizations: 'organizations/index.html',
    organization: first(/^organizations\/[^/]+\/index\.html$/),
    awards: 'awards/index.html',
    award: first(/^awards\/[^/]+\/index\.html$/),
    revocations: 'revocations/index.html',
    revocation: first(/^revocations\/[^/]+\/index\.html$/),
    objections: 'objections/index.html',
    objection: first(/^objections\/[^/]+\/index\.html$/),
    stats: 'stats/index.html',
    downloads: 'downloads/index.html',
    404: MISSING,
    announcement: first(/^announcements\/[^/]+\/index\.html$/),
    page: first(/^pages\/[^/]+\/index\.html$/),
  };
  for (const [k, v] of Object.entries(types)) check(v, `a page of type ${k}`, 'none in the site');
  // The audit trail's pages (issue #4), where the site has them.
  const more = {
    'notice-version': first(/^notices\/[^/]+\/v\/[^/]+\/index\.html$/),
    changes: first(/^changes\/index\.html$/),
    change: first(/^changes\/[0-9a-f]{40}\/index\.html$/),
    // the lists' pages (issue #23): a year, a year's program, a district,
    // a district's first character, the notices and rounds indexes, a
    // month of notices, a year of statistics
    'awards-year': first(/^awards\/[0-9]{4}\.html$/),
    'awards-program': first(/^awards\/[0-9]{4}-[^/]+\.html$/),
    'organizations-district': first(/^organizations\/[^/-]+\.html$/),
    'organizations-char': first(/^organizations\/[^/]+-[0-9a-f]{6}\.html$/),
    notices: first(/^notices\/index\.html$/),
    'notices-month': first(/^notices\/[0-9]{4}-[0-9]{2}\.html$/),
    rounds: first(/^rounds\/index\.html$/),
    'stats-year': first(/^stats\/[0-9]{4}\.html$/),
    // the search page (issue #22), the lapses list and one of its pages (issue #20)
    search: first(/^search\/index\.html$/),
    lapses: first(/^lapses\/index\.html$/),
    'lapses-month': first(/^lapses\/[0-9]{4}-[0-9]{2}\.html$/),
  };
  for (const [k, v] of Object.entries(more)) if (v) types[k] = v;
  return types;
}

// The record's ids that stand for something with a name (a programme, a
// round, an application, a notice, a tier): a page shows the name, never
// the id.  Organizations' ids are their 统一社会信用代码, which pages show
// as such.
function recordIds() {
  let rec;
  try { rec = JSON.parse(readFileSync(join(site, 'downloads', 'record.json'), 'utf8')); } catch { return { tokens: [], whole: [] }; }
  const tokens = new Set();
  const whole = new Set();
  // individuals too: a person's id is no more to be shown than a programme's
  for (const k of ['programs', 'rounds', 'applications', 'notices', 'individuals'])
    for (const x of rec[k] || []) if (typeof x.id === 'string' && x.id.length >= 4) tokens.add(x.id);
  for (const p of rec.programs || []) for (const t of p.tiers || []) if (typeof t.id === 'string') whole.add(t.id);
  return { tokens: [...tokens], whole: [...whole] };
}

// What a person reading the page sees that is wrong at this width.
function layoutAt(width) {
  const out = [];
  const vw = document.documentElement.clientWidth;
  const bodyPx = parseFloat(getComputedStyle(document.body).fontSize);
  const name = (el) => el.localName + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '');
  const shown = (el) => el.getClientRects().length > 0;
  // no element wider than the window, nor reaching past its right edge
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg') && el.localName !== 'svg') continue;
    const r = el.getBoundingClientRect();
    if (!r.width || !shown(el)) continue;
    if (r.width > vw + 0.5 || r.right > vw + 0.5) wide.push(`${name(el)} (${Math.round(r.left)}..${Math.round(r.right)})`);
  }
  if (wide.length) out.push(`wider than the ${vw} px window at ${width} px: ${wide.slice(0, 4).join(', ')}`);
  // a table keeps columns four characters wide, or is shown as cards
  if (width <= 400) {
    const narrow = [];
    for (const cell of document.querySelectorAll('td, th')) {
      const table = cell.closest('table');
      if (getComputedStyle(table).display !== 'table' || !shown(cell)) continue;
      const cs = getComputedStyle(cell);
      const inner = cell.getBoundingClientRect().width - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
      if (inner < 4 * bodyPx - 0.5) narrow.push(`${cell.localName} "${cell.textContent.trim().slice(0, 12)}" ${inner.toFixed(0)} px`);
    }
    if (narrow.length) out.push(`table cells narrower than four characters (${4 * bodyPx} px) at ${width} px: ${narrow.slice(0, 4).join(', ')}`);
  }
  // chart text at the size of the text around it, whatever the width
  const sizes = [];
  for (const t of document.querySelectorAll('svg text')) {
    const ctm = t.getScreenCTM();
    const px = parseFloat(getComputedStyle(t).fontSize) * (ctm ? Math.hypot(ctm.a, ctm.b) : 1);
    if (px < 14 || px > 20) sizes.push(`"${t.textContent.slice(0, 10)}" ${px.toFixed(1)} px`);
  }
  if (sizes.length) out.push(`SVG text outside 14-20 px at ${width} px: ${sizes.slice(0, 4).join(', ')}`);
  return out;
}

// Text a citizen reads that is raw data: JSON, an escape, a schema, an id.
function rawText(ids) {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const token = new RegExp('(^|[^A-Za-z0-9_-])(' + ids.tokens.map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|') + ')(?![A-Za-z0-9_-])');
  const whole = new Set(ids.whole);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const t = n.nodeValue;
    const where = n.parentElement ? n.parentElement.localName : '';
    // a code block, and a record file's name where a commit moved it
    if (where === 'pre' || (where === 'code' && (n.parentElement.closest('pre') || n.parentElement.classList.contains('path')))) continue;
    if (t.includes('$schema')) out.push(`"$schema" in <${where}>: ${t.trim().slice(0, 60)}`);
    if (t.includes('{"')) out.push(`JSON in <${where}>: ${t.trim().slice(0, 60)}`);
    if (t.includes('\\n')) out.push(`an escaped line break in <${where}>: ${t.trim().slice(0, 60)}`);
    if (ids.tokens.length && token.test(t)) out.push(`a record id in <${where}>: ${t.trim().slice(0, 60)}`);
    if (whole.has(t.trim())) out.push(`a tier id in <${where}>: ${t.trim()}`);
  }
  return out;
}

// Every text file of the site is valid UTF-8 (a cut multi-byte character
// would show as U+FFFD in the browser, which does not complain).
function utf8Gate() {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let bad = 0;
  for (const f of files) {
    if (!/\.(html|xml|json|txt|csv|css|svg)$/.test(f) && f !== 'SHA256SUMS') continue;
    try { decoder.decode(readFileSync(join(site, f))); } catch {
      bad++;
      check(false, `${f} is valid UTF-8`);
    }
  }
  check(bad === 0, 'every text file valid UTF-8');
}

// A corrected notice printed as its recipients file it: the notice itself
// (head first, its correction history after it), and no page ending on
// a heading, checked in the PDF's own text (pdftotext, poppler-utils).
async function printGate(context) {
  const corrected = htmlPages.find((p) => /^notices\/[^/]+\/index\.html$/.test(p) &&
    readFileSync(join(site, p), 'utf8').includes('class="amended'));
  if (!check(corrected, 'a corrected notice to print', 'none in the site')) return;
  const page = await context.newPage();
  await page.goto(urlOf(corrected));
  const dom = await page.evaluate(() => ({
    issuer: document.querySelector('.issuer-mark').textContent.trim(),
    title: document.querySelector('.document h1').textContent.trim(),
    headings: [...document.querySelectorAll('h1, h2, h3, h4, caption, th')].map((h) => h.textContent.replace(/\s+/g, '')),
  }));
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  await page.close();
  const file = join(shots, 'notice-corrected-print.pdf');
  writeFileSync(file, pdf);
  let text = '';
  try { text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }); } catch (e) {
    check(false, 'pdftotext', String(e.message));
    return;
  }
  const pages = text.split('\f').filter((p, i, all) => p.trim() || i < all.length - 1)
    .map((p) => p.split('\n').map((l) => l.replace(/\s+/g, '')).filter(Boolean));
  const first = pages[0] || [];
  check(first.length && dom.issuer.replace(/\s+/g, '').startsWith(first[0]) && first[0].length > 1,
    `${corrected} printed: page 1 starts with the issuing authority`, `first line "${first[0]}", issuer "${dom.issuer}"`);
  // the head: every line up to the title's first line
  const titleStart = dom.title.replace(/\s+/g, '').slice(0, 4);
  const head = [];
  for (const l of first) { if (l.startsWith(titleStart)) break; head.push(l); }
  check(head.every((l) => [...l].length > 1), `${corrected} printed: no one-character line in the head`, head.join(' / '));
  const headingSet = new Set(dom.headings);
  const thRow = (l) => dom.headings.some((h) => h && l.startsWith(h)) && [...l].length <= dom.headings.filter((h) => l.includes(h)).join('').length;
  pages.forEach((lines, i) => {
    const last = lines[lines.length - 1] || '';
    check(!(headingSet.has(last) || thRow(last)), `${corrected} printed: page ${i + 1} does not end with a heading`, `ends with "${last}"`);
  });
  // the correction history after the notice's issuer and date
  const all = pages.flat();
  const sign = all.lastIndexOf(dom.issuer.replace(/\s+/g, ''));
  const hist = all.findIndex((l) => l.startsWith('更正记录'));
  check(hist > sign && sign > 0, `${corrected} printed: the correction history after the signature`, `signature line ${sign}, history line ${hist}`);
  console.log(`ok   ${corrected} printed: ${pages.length} A4 page(s), ${file}`);
}

// The large-text, high-contrast mode for older readers (适老化): the
// header's link turns it on with no script (scripts are off here, as the
// site's CSP has them), the text grows, and the link back turns it off.
async function careGate(context, path) {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(urlOf(path));
  const size = () => page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('main p, main li')).fontSize));
  const before = await size();
  await page.click('a.care-on');
  const on = await size();
  const switched = await page.evaluate(() => getComputedStyle(document.querySelector('a.care-off')).display !== 'none');
  await page.click('a.care-off');
  const off = await size();
  check(on >= before * 1.2 && switched && off === before, `${path}: large-text mode on and off without script`,
    `text ${before} px, ${on} px with the mode, ${off} px after`);
  await page.close();
}

async function pagesGate(browser) {
  const context = await newContext(browser, { viewport: { width: 360, height: 800 } });
  const types = pageTypes();
  const shotOf = Object.fromEntries(Object.entries(types).map(([k, v]) => [v, k]));
  const ids = recordIds();
  mkdirSync(shots, { recursive: true });
  utf8Gate();
  // Every page, and a missing one (the 404 page from a deep path).
  const paths = [...htmlPages, MISSING];
  await eachPage(context, paths, async (tab, path) => {
    const { page, problems } = tab;
    await page.setViewportSize({ width: 360, height: 800 });
    const res = await page.goto(urlOf(path), { waitUntil: 'load' });
    const want = path === MISSING ? 404 : 200;
    if (res.status() !== want) problems.push(`status ${res.status()}, want ${want}`);
    const m = await page.evaluate(() => {
      const s = document.scrollingElement;
      // The stylesheet applied: the site header is the brand colour, not transparent.
      const header = document.querySelector('header.site');
      // Chart and timeline labels cut off by their drawing's edge (an SVG
      // clips what lies outside its viewBox, so nothing scrolls).
      const clipped = [];
      for (const svg of document.querySelectorAll('svg')) {
        // without a viewBox a unit is a pixel and the drawing is as wide as its box
        const vb = svg.getAttribute('viewBox') ? svg.viewBox.baseVal : { x: 0, width: svg.getBoundingClientRect().width };
        for (const t of svg.querySelectorAll('text')) {
          const b = t.getBBox();
          if (b.x < vb.x - 0.5 || b.x + b.width > vb.x + vb.width + 0.5) clipped.push(t.textContent);
        }
      }
      return {
        scroll: s.scrollWidth, client: s.clientWidth, clipped,
        styled: !!header && getComputedStyle(header).backgroundColor !== 'rgba(0, 0, 0, 0)',
      };
    });
    if (m.scroll > m.client) problems.push(`scrolls horizontally at 360 px (${m.scroll} > ${m.client})`);
    problems.push(...await page.evaluate(layoutAt, 360));
    problems.push(...await page.evaluate(rawText, ids));
    if (m.clipped.length) problems.push(`SVG text cut off at the drawing's edge: ${m.clipped.slice(0, 5).join(', ')}`);
    if (!m.styled) problems.push('the stylesheet did not apply');
    const type = shotOf[path];
    if (type) await page.screenshot({ path: join(shots, `${type}-360.png`), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    problems.push(...await page.evaluate(layoutAt, 1280));
    if (type) await page.screenshot({ path: join(shots, `${type}-1280.png`), fullPage: true });
    check(problems.length === 0, path, problems.join('; '));
  });
  console.log(`ok   ${paths.length} pages loaded at 360 px; screenshots of ${Object.keys(types).length} page types in ${shots}`);

  // A notice as its recipients file it: printed on A4 (print styles).
  const page = await context.newPage();
  await page.goto(urlOf(types.notice));
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  writeFileSync(join(shots, 'notice-print.pdf'), pdf);
  const pdfPages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  check(pdf.subarray(0, 5).toString() === '%PDF-' && pdfPages >= 1, 'notice printed to PDF',
    `${pdf.length} bytes, ${pdfPages} pages`);
  console.log(`ok   ${types.notice} printed: ${pdfPages} A4 page(s), ${join(shots, 'notice-print.pdf')}`);
  await printGate(context);
  await careGate(context, types.notice);
  await context.close();
}

async function a11yGate(browser) {
  const axe = require('axe-core');
  const context = await newContext(browser, { viewport: { width: 1280, height: 900 } });
  const seen = {};
  let rules = 0;
  const paths = [...htmlPages, MISSING];
  await eachPage(context, paths, async (tab, path) => {
    const { page, problems } = tab;
    await page.goto(urlOf(path), { waitUntil: 'load' });
    // Evaluated through the DevTools protocol, so the page's CSP (no
    // scripts at all) does not apply to axe itself.
    await page.evaluate(axe.source);
    const result = await page.evaluate(() => window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    }));
    rules = Math.max(rules, result.passes.length + result.violations.length);
    const v = result.violations.map((x) => {
      seen[x.id] = (seen[x.id] || 0) + 1;
      const where = x.nodes.slice(0, 3).map((n) => n.target.join(' ') +
        (n.failureSummary ? ` (${n.failureSummary.replace(/\s+/g, ' ')})` : '')).join(', ');
      return `${x.id} [${x.impact}] ${x.help}: ${x.nodes.length} element(s): ${where}`;
    });
    check(v.length === 0 && problems.length === 0, path, [...v, ...problems].join('\n    '));
  });
  const found = Object.entries(seen).map(([k, n]) => `${k} on ${n} pages`).join(', ');
  console.log(`ok   axe-core ${axe.version} on ${paths.length} pages, up to ${rules} rules applying to a page` +
    (found ? `; violations: ${found}` : '; no violations'));
  await context.close();
}

async function xssGate(browser) {
  // CSP would stop an inline payload in this browser, but not in every
  // one, nor on a server configured without it: the escaping itself is
  // what is tested here, so the page's CSP is bypassed.
  const context = await newContext(browser, { viewport: { width: 1280, height: 900 }, bypassCSP: true });
  // Pages, feeds, JSON and text: an XHTML <script> in an Atom feed runs too
  // when the feed is opened.  CSV would be downloaded, not shown.
  const targets = files.filter((f) => /\.(html|xml|json|txt)$/.test(f));
  let shown = 0;
  await eachPage(context, targets, async (tab, path) => {
    const { page } = tab;
    tab.hits = [];
    await page.goto(urlOf(path), { waitUntil: 'load' });
    await page.waitForTimeout(30); // an onerror or ontoggle fires just after load
    // What would run on a click or a hover, which no load triggers: any
    // handler attribute, script-like element, or a link whose scheme (as
    // the browser parses it) is not http, https or mailto.
    const found = await page.evaluate(() => {
      const bad = [];
      for (const el of document.querySelectorAll('*')) {
        const tag = el.localName;
        // the site's one script, search/'s own (issue #22), is allowed
        const own = tag === 'script' && el.attributes.length === 1 && !el.textContent &&
          /^(\.\.\/)*assets\/search\.js$/.test(el.getAttribute('src') || '');
        if (!own && ['script', 'iframe', 'object', 'embed', 'base', 'frame', 'frameset'].includes(tag)) bad.push(`<${tag}>`);
        if (tag === 'meta' && /refresh/i.test(el.getAttribute('http-equiv') || '')) bad.push('<meta refresh>');
        for (const a of el.attributes) {
          if (/^on/i.test(a.name)) bad.push(`${a.name} on <${tag}>`);
          if (/^(href|src|action|formaction|xlink:href|srcdoc|data)$/i.test(a.name)) {
            let proto = '';
            try { proto = new URL(a.value, document.baseURI).protocol; } catch { continue; }
            if (!['http:', 'https:', 'mailto:'].includes(proto)) bad.push(`${a.name}="${a.value.slice(0, 40)}" on <${tag}>`);
          }
        }
      }
      return { bad, shown: /__pwned\(|alert\(/.test(document.documentElement.textContent || '') };
    });
    shown += found.shown;
    check(tab.hits.length === 0 && found.bad.length === 0, path, [...tab.hits, ...found.bad].join('; '));
  }, async (tab) => {
    // window.__pwned, which every payload calls, and alert(), which
    // test_build.PAYLOAD's call: either, in any frame, fails the page.
    await tab.page.exposeFunction('__pwned', (what) => tab.hits.push(`payload ran: ${what}`));
    tab.page.on('dialog', (d) => { tab.hits.push(`${d.type()} dialog: ${d.message()}`); d.dismiss().catch(() => {}); });
  });
  // The payloads must have reached the pages as text, or nothing was tested.
  check(shown >= 50, 'payloads shown as text', `on ${shown} of ${targets.length} files`);
  console.log(`ok   ${targets.length} files opened, the payloads shown as text on ${shown}; none ran`);
  await context.close();
}

let browser;
try {
  browser = await launch();
  if (mode === 'pages') await pagesGate(browser);
  else if (mode === 'a11y') await a11yGate(browser);
  else await xssGate(browser);
} catch (e) {
  check(false, 'browser run', e.stack || String(e));
} finally {
  if (browser) await browser.close();
}
console.log(`${name}: ${passed} passed, ${failed} failed`);
process.exit(failed || !passed ? 1 : 0);
