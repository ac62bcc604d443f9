// The site's search box: Pagefind (index written at build time by macros/site/search.py into
// pagefind/, loaded in parts only when the box is first used). A large site's index is in shards
// (pagefind/ and pagefind/shard-N/, listed in pagefind/shards.json; one indexer run per shard
// keeps the build's memory bounded): they are merged here into one search (Pagefind's
// mergeIndex), whose results are sorted by score across shards. Sections come first: each page
// Pagefind finds is split into its sections (sub-results), ranked by their own matches; a page
// row is shown only where no section of it matched. Every result names its area.
// Keyboard: "/" or "s" opens the box, Tab/arrows move through the results, Escape closes it.
import { mayPrefetch, whenSettled } from "./calculator/prefetch.mjs";

const box = document.getElementById("site-search-input");
const list = document.getElementById("site-search-results");
const status = document.getElementById("site-search-status");
const toggle = document.getElementById("__search");

const OPTIONS = { excerptLength: 24 };
let pagefind = null;
async function engine() {
  if (!pagefind) {
    const index = new URL("../pagefind/", import.meta.url);
    const shards = shardList(index);   // asked for while Pagefind itself loads
    pagefind = import(new URL("pagefind.js", index).href).then(async (pf) => {
      await pf.options(OPTIONS);
      await pf.init();
      await Promise.all((await shards).map((s) => pf.mergeIndex(new URL(s.path, index).pathname, { ...OPTIONS })));
      return pf;
    });
  }
  return pagefind;
}

// The further shards (none on a site indexed in one run: the list is empty). Each shares the
// first shard's worker and WebAssembly and loads only its own index; its results' URLs are the
// site's (Pagefind takes them from the folder above pagefind/, as for the first shard).
async function shardList(index) {
  try {
    const response = await fetch(new URL("shards.json", index));
    return response.ok ? (await response.json()).shards || [] : [];
  } catch (e) {
    return [];
  }
}

function sectionScore(sub) {
  const w = sub.weighted_locations || [];
  return w.reduce((s, l) => s + (l.balanced_score || l.weight || 1), 0) || (sub.locations || []).length;
}

// The paragraph of a section that states what was searched for: Pagefind records every element
// with an id (its "anchors", with the word position where each starts), not only headings, so the
// section's matches are counted paragraph by paragraph (a paragraph runs from its id to the next
// id in the section) and the result lands on the one holding the most different words of the
// query, then the most matches: "35 working days assessment" opens paragraph 4.26, which says
// "35 working days", not the first paragraph of section 4 that says "assessment" most often.
// A match in the heading alone keeps the section. The calculators' own ids (their forms are not
// indexed) and the display controls are never landing places.
const HEADING = /^h[1-6]$/i;
const NOT_TEXT = /^(display-|dlc?(-|$)|tc(-|$)|tl(-|$))/;
function paragraphOf(data, sub) {
  const anchors = (data.anchors || []).slice().sort((a, b) => a.location - b.location);
  const start = sub.anchor ? sub.anchor.location : 0;
  const next = anchors.find((a) => HEADING.test(a.element) && a.location > start);
  const end = next ? next.location : Infinity;
  const inside = anchors.filter((a) => !HEADING.test(a.element) && a.id && !NOT_TEXT.test(a.id)
                                       && a.location >= start && a.location < end);
  const words = (data.content || "").split(/[\r\n\s]+/g);
  let best = null;
  let bestScore = [0, 0];
  inside.forEach((a, i) => {
    const stop = i + 1 < inside.length ? inside[i + 1].location : end;
    const hits = (sub.weighted_locations || []).filter((w) => w.location >= a.location && w.location < stop);
    const distinct = new Set(hits.map((w) => (words[w.location] || "").toLowerCase().replace(/[^\p{L}\p{N}]/gu, ""))).size;
    const score = [distinct, hits.reduce((sum, w) => sum + (w.balanced_score || w.weight || 1), 0)];
    if (score[0] > bestScore[0] || (score[0] === bestScore[0] && score[1] > bestScore[1])) { best = a; bestScore = score; }
  });
  return best && { id: best.id, distinct: bestScore[0] };
}

// What a query asks for, from its own words: a time ("45 working days", "within", "timescale"), a
// definition ("what is", "definition") or a contact ("who do I call", "phone number").
const ASKS = {
  time: /\d|\b(working days?|days|weeks?|months?|hours?|timescales?|deadlines?|within|time limits?)\b/i,
  definition: /\b(definitions?|defined?|meaning|means|what is|what are)\b/i,
  contact: /\b(call|ring|phone|telephone|contact|number|email|who to)\b/i,
};
function asked(query) {
  return Object.fromEntries(Object.entries(ASKS).map(([k, re]) => [k, re.test(query)]));
}

// The procedures' own text first; the other kinds of page (macros/site/search.py's page_kind) after,
// by what the query asks: the contact cards come up to the procedures' level for a contact query (and
// the glossary, which only names the teams, goes down); the timescale tables, comparison and
// calculators, which repeat every "N working days" of the rules, go further down for a time query,
// so the paragraph that sets the rule is found, not the table that repeats it.
function kindWeight(kind, asks) {
  if (kind === "procedure") return 1;
  if (kind === "contacts") return asks.contact ? 1 : 0.3;
  if (kind === "glossary") return asks.contact ? 0.05 : asks.definition ? 0.3 : 0.2;
  if (kind === "tables") return asks.time || asks.definition ? 0.02 : 0.2;
  return 0.2;
}

// The pages whose sections are ranked: Pagefind's first 20 (its page score knows nothing of the
// kinds above: a time query's first ten pages can all be tables, the procedure that sets the rule
// twelfth). Each is one small fragment, fetched in parallel.
const PAGES = 20;

async function rank(pf, query, limit = 10) {
  const terms = Math.max(1, new Set(query.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean)).size);
  const asks = asked(query);
  const found = await pf.search(query);
  if (!found || !found.results) return [];
  const pages = await Promise.all(found.results.slice(0, PAGES).map((r) => r.data().then((d) => [r, d])));
  const rows = [];
  for (const [r, d] of pages) {
    const subs = (d.sub_results || []).filter((s) => s.url.includes("#"));
    const area = (d.meta && d.meta.area) || "All areas";
    const weight = kindWeight((d.meta && d.meta.kind) || "other", asks);
    if (subs.length) {
      for (const s of subs) {
        const section = s.url.split("#")[1];
        const paragraph = paragraphOf(d, s);
        const url = paragraph ? `${s.url.split("#")[0]}#${paragraph.id}` : s.url;
        // A section whose one paragraph holds every word of the query outranks one that only
        // repeats some of them: (words of the query in its best paragraph / words of the query)^2.
        const together = paragraph ? Math.min(1, paragraph.distinct / terms) : 1 / terms;
        rows.push({ url, section, title: s.title, page: d.meta.title, excerpt: s.excerpt,
                    area, score: weight * r.score * sectionScore(s) * together * together });
      }
    } else {
      rows.push({ url: d.url, title: d.meta.title, page: "", excerpt: d.excerpt, area, score: weight * r.score * 0.5 });
    }
  }
  rows.sort((a, b) => b.score - a.score);
  return rows.slice(0, limit);
}

function render(query, rows) {
  list.replaceChildren(...rows.map((row) => {
    const li = document.createElement("li");
    li.className = "md-search-result__item";
    const a = document.createElement("a");
    a.className = "md-search-result__link";
    a.href = row.url;
    if (row.section) a.dataset.section = row.section;    // the section the paragraph is in
    const article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    const where = document.createElement("p");
    where.className = "site-search-where";
    const area = document.createElement("span");
    area.className = "site-search-area";
    area.textContent = row.area;
    where.append(area, document.createTextNode(row.page ? row.page : "Page"));
    const h = document.createElement("h2");
    h.textContent = row.title;
    const p = document.createElement("p");
    p.className = "md-search-result__teaser";
    // Pagefind's excerpt is escaped text with <mark> around the matches: keep only those marks.
    const tmp = document.createElement("div");
    tmp.innerHTML = row.excerpt || "";
    for (const node of [...tmp.childNodes]) {
      if (node.nodeType === 1 && node.tagName === "MARK") { const m = document.createElement("mark"); m.textContent = node.textContent; p.append(m); }
      else p.append(document.createTextNode(node.textContent.replace(/\u00b6/g, "")));
    }
    article.append(where, h, p);
    a.append(article);
    li.append(a);
    return li;
  }));
  status.textContent = rows.length ? `${rows.length} results for "${query}"` : `No results for "${query}"`;
  list.dataset.query = query;
}

let latest = 0;
async function run() {
  const query = box.value.trim();
  const ticket = ++latest;
  if (!query) { list.replaceChildren(); status.textContent = "Type to search the procedures"; list.dataset.query = ""; return; }
  const pf = await engine();
  const rows = await rank(pf, query);
  if (ticket === latest) render(query, rows);
}

// The dialog (Material's __search toggle) is open whenever the box is in use. On a desktop the box
// is drawn in the header, so a click, a tap or Tab puts the cursor in it without the magnifier:
// focus, click and typing open the dialog too, or the results would be written into a closed one.
function show() {
  if (toggle && !toggle.checked) { toggle.checked = true; toggle.dispatchEvent(new Event("change")); }
}

function open() {
  show();
  box.focus();
  box.select();
  engine();
}

function start() {
box.addEventListener("input", () => { show(); run(); });
box.addEventListener("focus", () => { show(); engine(); });
box.addEventListener("click", show);
// The engine (Pagefind's script, WebAssembly and each shard's small metadata, ~0.2 MB; the word
// index itself is fetched per query) is made ready before the box is used, so the first results
// come as the query is typed: once the page has what it was opened for (a calculator's first
// answer; otherwise its load event) and is idle, on a connection that may be used for it (the
// calculators' prefetch rules), and on any connection when the search button is pointed at or
// focused. With instant navigation it is made once per visit.
if (mayPrefetch()) whenSettled(() => engine());
const opener = document.querySelector("label.md-header__button[for='__search']");
if (opener) {
  for (const event of ["pointerenter", "focus", "touchstart"]) opener.addEventListener(event, () => engine(), { once: true, passive: true });
  // The magnifier (a phone's way in) is a label: made a button a keyboard reaches, Enter or Space opening it.
  opener.setAttribute("role", "button");
  opener.setAttribute("tabindex", "0");
  opener.setAttribute("aria-label", "Search the procedures");
  opener.addEventListener("keydown", (e) => {
    if (e.key === "Enter" || e.key === " ") { e.preventDefault(); open(); }
  });
}
box.closest("form").addEventListener("submit", (e) => {
  e.preventDefault();
  const first = list.querySelector("a");
  if (first) first.focus();
});
document.addEventListener("keydown", (e) => {
  const typing = e.target.closest && e.target.closest("input, textarea, select, [contenteditable]");
  if (!typing && !e.ctrlKey && !e.metaKey && !e.altKey && (e.key === "/" || e.key === "s")) {
    e.preventDefault();
    open();
  } else if (e.key === "Escape" && toggle && toggle.checked) {
    toggle.checked = false;
    toggle.dispatchEvent(new Event("change"));
    // Back to the magnifier where it is drawn (a phone); on a desktop the cursor stays in the box.
    const opener = document.querySelector("label.md-header__button[for='__search']");
    if (opener && opener.getClientRects().length) opener.focus();
  } else if ((e.key === "ArrowDown" || e.key === "ArrowUp") && e.target.closest && e.target.closest("#site-search")) {
    const links = [box, ...list.querySelectorAll("a")];
    const i = links.indexOf(e.target);
    if (i >= 0) { e.preventDefault(); links[Math.max(0, Math.min(links.length - 1, i + (e.key === "ArrowDown" ? 1 : -1)))].focus(); }
  }
});
if (toggle) toggle.addEventListener("change", () => { if (toggle.checked) setTimeout(() => box.focus(), 0); });
// Material's instant navigation keeps the header (this box) and swaps the page: a result that
// was followed closes the dialog, as a full page load would.
if (globalThis.document$ && typeof globalThis.document$.subscribe === "function") {
  let first = true;
  globalThis.document$.subscribe(() => {
    if (first) { first = false; return; }
    if (toggle && toggle.checked) { toggle.checked = false; toggle.dispatchEvent(new Event("change")); }
  });
}
}

if (box && list) start();
