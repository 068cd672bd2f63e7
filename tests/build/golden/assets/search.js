/*
 * search.js - the site search's query side (issue #22).  The index is
 * written by gongshi build (generator/search.h tells its format); this
 * script tokenizes the query by the very rules of generator/search.c,
 * fetches the shards of its terms from this site only, and lists the
 * documents that hold every term: ranked from the postings alone, ten at
 * a time, so that it fetches the document shards of the results shown
 * only.  A frequent term (written without postings, search.h) is left
 * out of a query that has another term.  Every sentence it shows comes
 * from the page's template: its data- attributes and its button.
 */
(function () {
'use strict';

const TERM_MAX = 40;
const DIGITS_MAX = 8;
const C_SEP = 0, C_ALNUM = 1, C_HYPHEN = 2, C_CJK = 3;

/* Folds a code point and classifies it, as classify() in search.c. */
function classify(cp) {
	let c = cp;
	if (c >= 0xff01 && c <= 0xff5e) {
		c -= 0xfee0;
	} else if (c === 0x3000) {
		c = 0x20;
	}
	if (c >= 0x41 && c <= 0x5a) {
		c += 0x20;
	}
	if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)) {
		return [c, C_ALNUM];
	}
	if (c === 0x2d) {
		return [c, C_HYPHEN];
	}
	if (c < 0x2e80 || (c >= 0xd800 && c <= 0xdfff)) {
		return [c, C_SEP];
	}
	if ((c >= 0x3000 && c <= 0x303f) || (c >= 0xfe10 && c <= 0xfe6f) || (c >= 0xff00 && c <= 0xffff)) {
		return [c, C_SEP];
	}
	return [c, C_CJK];
}

function asciiPrefixes(out, w) {
	const s = w.length > TERM_MAX ? w.slice(0, TERM_MAX) : w;
	if (s.length === 1) {
		out.push(s);
		return;
	}
	if (s.length <= DIGITS_MAX && /^[0-9]+$/.test(s)) {
		for (let j = 0; j + 1 < s.length; j++) {
			for (let i = j + 2; i <= s.length; i++) {
				out.push(s.slice(j, i));
			}
		}
		return;
	}
	for (let i = 2; i <= s.length; i++) {
		if (s[i - 1] !== '-') {
			out.push(s.slice(0, i));
		}
	}
}

function asciiRun(out, w, query) {
	if (query) {
		out.push(w.slice(0, TERM_MAX));
		return;
	}
	asciiPrefixes(out, w);
	if (w.includes('-')) {
		for (const part of w.split('-')) {
			asciiPrefixes(out, part);
		}
	}
}

/* The terms of text, as search_tokens() gives them (query: true for
 * SEARCH_QUERY); possibly repeated. */
function tokens(text, query) {
	const cps = Array.from(text, (ch) => ch.codePointAt(0));
	const out = [];
	let ascii = '';
	let inAscii = false;
	let i = 0;
	const flush = () => {
		ascii = ascii.replace(/-+$/, '');
		if (ascii) {
			asciiRun(out, ascii, query);
		}
		ascii = '';
		inAscii = false;
	};
	while (i <= cps.length) {
		const [c, cl] = i < cps.length ? classify(cps[i]) : [0, C_SEP];
		if (cl !== C_ALNUM && cl !== C_HYPHEN && inAscii) {
			flush();
		}
		if (i === cps.length) {
			break;
		}
		if (cl === C_CJK) {
			const run = [];
			while (i < cps.length && classify(cps[i])[1] === C_CJK) {
				run.push(String.fromCodePoint(cps[i]));
				i++;
			}
			for (let k = 0; k < run.length; k++) {
				if (!query) {
					out.push(run[k]);
				}
				if (k > 0) {
					out.push(run[k - 1] + run[k]);
				}
			}
			if (query && run.length === 1) {
				out.push(run[0]);
			}
			continue;
		}
		if (cl === C_ALNUM || (cl === C_HYPHEN && inAscii)) {
			if (cl === C_HYPHEN && ascii.endsWith('-')) {
				ascii = ascii.slice(0, -1);
				flush();
			} else {
				if (ascii.length < TERM_MAX) {
					ascii += String.fromCharCode(c);
				}
				inAscii = true;
			}
		}
		i++;
	}
	return out;
}

/* FNV-1a, 32 bits, of the UTF-8 of s: search_hash() in search.c. */
function hash(s) {
	let h = 2166136261;
	for (const b of new TextEncoder().encode(s)) {
		h = Math.imul(h ^ b, 16777619) >>> 0;
	}
	return h >>> 0;
}

function shardName(n) {
	return n.toString(16).padStart(3, '0');
}

/* Text folded as the tokenizer folds it, one code unit for one. */
function fold(s) {
	let out = '';
	for (const ch of s) {
		const cp = ch.codePointAt(0);
		out += cp > 0xffff ? ch : String.fromCharCode(classify(cp)[0]);
	}
	return out;
}

const data = document.getElementById('search-data');
const form = document.querySelector('form.search-page');
const input = document.getElementById('search-q');
const statusLine = document.getElementById('search-status');
const results = document.getElementById('search-results');
const region = document.getElementById('search-region');
const moreButton = document.getElementById('search-more');
const nTerms = Number(data && data.dataset.terms) || 1;
const nDocs = Number(data && data.dataset.docs) || 1;
const PAGE = 10;
const cache = new Map();
let generation = 0;
let lastTiming = null;
/* the query shown: its ranked keys, how many are shown, its marks */
let shown = null;

function say(name, vars) {
	let s = data.dataset[name] || '';
	for (const [k, v] of Object.entries(vars || {})) {
		s = s.split('{' + k + '}').join(String(v));
	}
	return s;
}

function shard(dir, n) {
	const url = dir + '/' + shardName(n) + '.json';
	if (!cache.has(url)) {
		cache.set(url, fetch(url, { credentials: 'same-origin' }).then((r) => {
			if (!r.ok) {
				throw new Error(url + ': ' + r.status);
			}
			return r.json();
		}));
	}
	return cache.get(url);
}

/* The keys holding every term but the frequent ones, with the sum of
 * their weights; null when every term is frequent. */
async function match(terms) {
	const all = await Promise.all(terms.map(async (t) => {
		const s = await shard('t', hash(t) % nTerms);
		return Object.prototype.hasOwnProperty.call(s, t) ? s[t] : [];
	}));
	/* a frequent term is a number instead of a list of postings */
	const lists = all.filter((list) => Array.isArray(list));
	if (!lists.length) {
		return null;
	}
	let scores = null;
	for (const list of lists) {
		const next = new Map();
		for (let i = 0; i + 1 < list.length; i += 2) {
			const key = list[i];
			if (scores === null || scores.has(key)) {
				next.set(key, (scores === null ? 0 : scores.get(key)) + list[i + 1]);
			}
		}
		scores = next;
	}
	return scores || new Map();
}

async function docs(keys) {
	const out = new Map();
	await Promise.all(keys.map(async (k) => {
		const s = await shard('d', hash(k) % nDocs);
		if (Object.prototype.hasOwnProperty.call(s, k)) {
			out.set(k, s[k]);
		}
	}));
	return out;
}

/* text with every piece of the query found in it marked. */
function highlight(parent, text, pieces) {
	const f = fold(text);
	const on = new Array(text.length).fill(false);
	for (const p of pieces) {
		for (let at = f.indexOf(p); p && at >= 0; at = f.indexOf(p, at + 1)) {
			on.fill(true, at, at + p.length);
		}
	}
	let i = 0;
	while (i < text.length) {
		let j = i;
		while (j < text.length && on[j] === on[i]) {
			j++;
		}
		const part = text.slice(i, j);
		if (on[i]) {
			const m = document.createElement('mark');
			m.textContent = part;
			parent.appendChild(m);
		} else {
			parent.appendChild(document.createTextNode(part));
		}
		i = j;
	}
}

/* What to mark: the query's Chinese pairs and single characters, and
 * its ASCII runs, folded. */
function pieces(q) {
	const out = new Set(tokens(q, true));
	return [...out].sort((a, b) => b.length - a.length);
}

function showMore(on) {
	if (moreButton) {
		moreButton.hidden = !on;
	}
}

function clear() {
	shown = null;
	results.replaceChildren();
	statusLine.textContent = '';
	showMore(false);
}

/* Appends a page of results, grouped by kind: a group is the kind's
 * heading and list, so that a page's awards after the last page's are
 * a group of their own.  Returns the first link added. */
function render(ranked, marks) {
	const groups = new Map();
	for (const r of ranked) {
		if (!groups.has(r.doc[0])) {
			groups.set(r.doc[0], []);
		}
		groups.get(r.doc[0]).push(r);
	}
	const frag = document.createDocumentFragment();
	for (const [kind, list] of groups) {
		const sec = document.createElement('section');
		sec.className = 'search-group';
		const h = document.createElement('h2');
		h.textContent = data.dataset['kind' + kind[0].toUpperCase() + kind.slice(1)] || kind;
		sec.appendChild(h);
		const ol = document.createElement('ol');
		for (const r of list) {
			const [, title, sub, url, st] = r.doc;
			const li = document.createElement('li');
			const a = document.createElement('a');
			a.href = '../' + url;
			a.className = 'search-title';
			highlight(a, title, marks);
			li.appendChild(a);
			if (st) {
				const s = document.createElement('span');
				s.className = 'search-state state-' + st;
				s.textContent = say('statusLabel') + say('status' + st[0].toUpperCase() + st.slice(1));
				li.appendChild(document.createTextNode(' '));
				li.appendChild(s);
			}
			if (sub) {
				const p = document.createElement('p');
				p.className = 'search-sub';
				highlight(p, sub, marks);
				li.appendChild(p);
			}
			ol.appendChild(li);
		}
		sec.appendChild(ol);
		frag.appendChild(sec);
	}
	const first = frag.querySelector('a');
	results.appendChild(frag);
	return first;
}

/* The next page of the query shown: its documents fetched, ranked among
 * themselves with those whose title or second line holds the query as
 * typed first.  Returns the first link added, or null. */
async function nextPage(mine) {
	const s = shown;
	const page = s.keys.slice(s.n, s.n + PAGE);
	const found = await docs(page);
	if (mine !== generation) {
		return null;
	}
	const bonus = (d) => (fold(d[1]).includes(s.fq) ? 20 : 0) + (fold(d[2]).includes(s.fq) ? 10 : 0) +
		(d[0] === 'organization' || d[0] === 'award' ? 1 : 0);
	const ranked = page.filter((k) => found.has(k)).map((k, i) => ({ key: k, doc: found.get(k), score: s.scores.get(k) + bonus(found.get(k)), i }));
	ranked.sort((a, b) => b.score - a.score || a.i - b.i);
	s.n += page.length;
	const first = render(ranked, s.marks);
	const total = s.keys.length;
	statusLine.textContent = say('count', { n: total }) + (total > s.n ? say('shown', { n: s.n }) : '');
	showMore(total > s.n);
	return first;
}

/* Runs the query q; jump: open the certificate q names exactly. */
async function search(q, jump) {
	const mine = ++generation;
	let terms = [...new Set(tokens(q, true))];
	/* its ASCII runs, a letter or digit alone too: a record's id (its
	 * key) often holds the year or number typed beside the Chinese */
	const runs = terms.filter((t) => t.charCodeAt(0) <= 0x7f);
	/* a letter or digit alone, cut from a word, would find nothing */
	if (terms.some((t) => t.length > 1 || t.charCodeAt(0) > 0x7f)) {
		terms = terms.filter((t) => t.length > 1 || t.charCodeAt(0) > 0x7f);
	}
	if (!terms.length) {
		clear();
		return;
	}
	const t0 = performance.now();
	region.setAttribute('aria-busy', 'true');
	try {
		const scores = await match(terms);
		const t1 = performance.now();
		if (mine !== generation) {
			return;
		}
		const fq = fold(q.trim());
		if (scores === null) {
			clear();
			statusLine.textContent = say('frequent', { q: q.trim() });
			return;
		}
		/* equal weights: the keys holding more of the runs first */
		const hits = new Map([...scores.keys()].map((k) => [k, runs.filter((r) => fold(k.slice(1)).includes(r)).length]));
		const keys = [...scores.keys()].sort((a, b) => scores.get(b) - scores.get(a) || hits.get(b) - hits.get(a) ||
			(a < b ? -1 : a > b ? 1 : 0));
		/* the certificate typed exactly, wherever it ranks */
		const exact = keys.find((k) => k[0] === 'a' && fold(k.slice(1)) === fq);
		if (jump && exact) {
			const found = await docs([exact]);
			if (mine !== generation) {
				return;
			}
			if (found.has(exact)) {
				statusLine.textContent = say('jump', { q: q.trim() });
				window.location.assign('../' + found.get(exact)[3]);
				return;
			}
		}
		const t2 = performance.now();
		clear();
		if (!keys.length) {
			statusLine.textContent = say('none', { q: q.trim() });
		} else {
			shown = { keys, scores, fq, marks: pieces(q), n: 0 };
			await nextPage(mine);
		}
		lastTiming = { match: t1 - t0, rank: performance.now() - t2, total: performance.now() - t0 };
	} catch (e) {
		if (mine === generation) {
			clear();
			statusLine.textContent = say('error');
		}
	} finally {
		if (mine === generation) {
			region.removeAttribute('aria-busy');
		}
	}
}

/* The "more" button: the next ten, focus on the first of them (the
 * button itself may hide), the count announced by the live region. */
let fetching = false;
async function more() {
	if (!shown || fetching) {
		return;
	}
	const mine = generation;
	fetching = true;
	region.setAttribute('aria-busy', 'true');
	try {
		const first = await nextPage(mine);
		if (first) {
			first.focus();
		}
	} catch (e) {
		if (mine === generation) {
			statusLine.textContent = say('error');
		}
	} finally {
		fetching = false;
		if (mine === generation) {
			region.removeAttribute('aria-busy');
		}
	}
}

/* Arrow keys move between the field and the results' links. */
function arrows(e) {
	if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') {
		return;
	}
	const links = [...results.querySelectorAll('a')];
	if (!links.length) {
		return;
	}
	const at = links.indexOf(document.activeElement);
	let next;
	if (document.activeElement === input) {
		next = e.key === 'ArrowDown' ? 0 : -1;
	} else if (at >= 0) {
		next = at + (e.key === 'ArrowDown' ? 1 : -1);
	} else {
		return;
	}
	e.preventDefault();
	if (next < 0) {
		input.focus();
	} else if (next < links.length) {
		links[next].focus();
	}
}

if (data && form && input) {
	let timer = 0;
	input.addEventListener('input', () => {
		clearTimeout(timer);
		timer = setTimeout(() => search(input.value, false), 120);
	});
	form.addEventListener('submit', (e) => {
		e.preventDefault();
		clearTimeout(timer);
		const u = new URL(window.location.href);
		u.searchParams.set('q', input.value);
		window.history.replaceState(null, '', u);
		search(input.value, true);
	});
	input.addEventListener('keydown', arrows);
	results.addEventListener('keydown', arrows);
	if (moreButton) {
		moreButton.addEventListener('click', more);
	}
	const q = new URLSearchParams(window.location.search).get('q');
	if (q) {
		input.value = q;
		search(q, true);
	}
}

/* for the browser gate: the tokenizer and the last query's timing */
window.gongshiSearch = { tokens, hash, search, more, timing: () => lastTiming };
}());
