// The deadline calculator's page glue: collects the fields as typed, asks Python, renders the answer.
//
// Every check, message, date and word comes from Python (tools/web/deadline_form.py, on
// top of tools.deadlines), running in the worker. This file only moves text between the form
// and the worker, and builds the table with DOM methods (no innerHTML of data). The markup it fills
// is macros/site/templates/pages/deadline-form.html; the shared components' behaviour is components.mjs.
// Deep links, in the address's fragment, which a browser never sends to a server:
// #area=&event=&date=YYYY-MM-DD[&time=HH:MM] (one event), #area=&tl=event@date[Ttime] (repeated, a
// case timeline) or #area= alone (the area preselected: the links from an area's pages). Old links
// with these in the query (?area=...) are moved to the fragment by javascripts/address.js before
// this runs. Nothing else ever goes into the address; nothing is stored.
import { BUNDLE, UK_NOW, runtime, statusText, timed } from "./client.mjs";
import { clearErrorMessage, clearErrorSummary, el, fill, showErrorMessage, showErrorSummary, text } from "./components.mjs";
import { addressFor, linkParams, onLinkChange } from "./address.mjs";
import { SITE_ROOT } from "./site.mjs";

const FORM_CALL = "tools.web.deadline_form.calculate";
const TIMELINE_CALL = "tools.web.deadline_form.timeline";
const ICS_CALL = "tools.web.deadline_form.ics";

// ---- status line -------------------------------------------------------------------------
function bindStatus(statusEl) {
  let shown = -1;
  const stop = runtime().onStatus((status) => {
    if (!statusEl.isConnected) { queueMicrotask(stop); return; }   // the page was swapped (instant navigation)
    // Announce in steps of 20% so a screen reader is not flooded.
    const step = status.state === "loading" ? Math.floor((status.percent || 0) / 20) * 20 : status.state;
    if (step === shown) return;
    shown = step;
    statusEl.textContent = statusText({ ...status, percent: typeof step === "number" ? step : status.percent });
    statusEl.dataset.state = status.state;
  });
  return stop;
}

// ---- errors (GOV.UK error summary + inline messages) ----------------------------------------
function clearErrors(form) {
  clearErrorSummary(form.querySelector(".calc-error-summary"));
  for (const group of form.querySelectorAll(".calc-group--error")) group.classList.remove("calc-group--error");
  for (const msg of form.querySelectorAll(".calc-error-message")) clearErrorMessage(msg);
  for (const input of form.querySelectorAll("[aria-invalid]")) {
    input.removeAttribute("aria-invalid");
    const described = (input.getAttribute("aria-describedby") || "").split(" ").filter((id) => !id.endsWith("-error"));
    if (described.length) input.setAttribute("aria-describedby", described.join(" "));
    else input.removeAttribute("aria-describedby");
  }
  for (const fs of form.querySelectorAll("fieldset[aria-describedby]")) {
    const described = fs.getAttribute("aria-describedby").split(" ").filter((id) => !id.endsWith("-error"));
    fs.setAttribute("aria-describedby", described.join(" "));
  }
}

function fieldPrefix(form, field) {
  // "date" -> "dl-date"; "entries.2.date" -> "tl-2-date"
  const m = /^entries\.(\d+)\.(\w+)$/.exec(field);
  if (m) return { prefix: `${form.dataset.entryPrefix}-${m[1]}`, name: m[2] };
  return { prefix: form.dataset.prefix, name: field };
}

function showErrors(form, errors) {
  clearErrors(form);
  const items = [];
  for (const error of errors) {
    const { prefix, name } = fieldPrefix(form, error.field);
    const base = `${prefix}-${name}`;
    let target = document.getElementById(base);
    if (name === "date") {
      const part = (error.parts && error.parts[0]) || "day";
      target = document.getElementById(`${base}-${part}`);
      for (const p of (error.parts && error.parts.length ? error.parts : ["day", "month", "year"])) {
        document.getElementById(`${base}-${p}`)?.setAttribute("aria-invalid", "true");
      }
      const fs = document.getElementById(`${base}-group`)?.querySelector("fieldset");
      if (fs) fs.setAttribute("aria-describedby", `${fs.getAttribute("aria-describedby") || ""} ${base}-error`.trim());
    } else if (target) {
      target.setAttribute("aria-invalid", "true");
      target.setAttribute("aria-describedby", `${target.getAttribute("aria-describedby") || ""} ${base}-error`.trim());
    }
    if (target && target.type === "hidden") target = null;
    const group = document.getElementById(`${base}-group`);
    const message = document.getElementById(`${base}-error`);
    if (group) group.classList.add("calc-group--error");
    if (message) showErrorMessage(message, error.message);
    items.push({ target, message: error.message });
  }
  showErrorSummary(form.querySelector(".calc-error-summary"), items);
}

// ---- the answer -----------------------------------------------------------------------------
function sourceLink(source) {
  if (!source || !source.text) return "";
  if (!source.url) return source.text;
  return el("a", { href: new URL(source.url, SITE_ROOT).href, text: source.text });
}

function statusTag(status) {
  if (!status) return "";
  const kind = { Overdue: "overdue", Done: "done", "Not recorded here": "not-recorded", "Only if": "conditional" }[status]
    || "today";
  return el("strong", { class: `calc-tag calc-tag--${kind}`, text: status });
}

// "latest working day: Friday 14 January 2028", beside (never instead of) the rule's own date.
function latestDay(item) {
  if (!item.latest_working_day_text) return "";
  return el("span", { class: "calc-latest-working-day" }, " (",
    el("time", { datetime: item.latest_working_day, text: item.latest_working_day_text }), ")");
}

function dueCell(row) {
  const cell = el("td", { class: "calc-due" });
  if (row.due) cell.append(el("time", { datetime: row.due, text: row.due_text }), latestDay(row));
  else cell.append(el("span", { class: "calc-not-calculated", text: row.due_text }));
  const tag = statusTag(row.status);
  if (tag) cell.append(" ", tag);
  if (row.done_text) cell.append(el("p", { class: "calc-done", text: row.done_text }));
  if (row.occurrences.length) {
    const list = el("ul", { class: "calc-occurrences", "aria-label": "then" });
    for (const occ of row.occurrences) {
      const item = el("li", {}, "then ");
      if (occ.due) item.append(el("time", { datetime: occ.due, text: occ.due_text }), latestDay(occ));
      else item.append(occ.error || "not calculated");
      const occTag = statusTag(occ.status);
      if (occTag) item.append(" ", occTag);
      for (const w of occ.warnings) item.append(el("span", { class: "calc-warning", text: ` ${w}` }));
      list.append(item);
    }
    cell.append(list);
  }
  return cell;
}

function detailsCell(row) {
  const cell = el("td", { class: "calc-details" });
  for (const w of row.warnings) cell.append(el("p", { class: "calc-warning" }, el("strong", { text: "Warning: " }), w));
  if (row.error) cell.append(el("p", { class: "calc-warning" }, el("strong", { text: "Not calculated: " }), row.error.replace(/^Not calculated: /, "")));
  if (row.notes) cell.append(el("p", { class: "calc-note", text: row.notes }));
  for (const alt of row.alternatives) {
    cell.append(el("p", { class: "calc-note" }, "Another reading: ", alt.text, alt.source.text ? " (" : "",
      sourceLink(alt.source), alt.source.text ? ")" : "", alt.note ? `. ${alt.note}` : ""));
  }
  if (row.reading) cell.append(el("p", { class: "calc-note", text: row.reading }));
  if (row.not_recorded) {
    cell.append(el("p", { class: "calc-note calc-not-recorded" }, el("strong", { text: "Not recorded here: " }),
      row.not_recorded, " It is never shown as overdue."));
  }
  return cell;
}

// The step, which occurrence of a repeating one, and the condition a conditional step applies under.
function stepCell(row) {
  const cell = el("th", { scope: "row" }, row.label);
  if (row.occurrence_text) cell.append(el("span", { class: "calc-occurrence", text: ` (${row.occurrence_text})` }));
  if (row.condition_text) {
    const source = row.condition_source ? sourceLink(row.condition_source) : "";
    cell.append(el("p", { class: "calc-condition" }, row.condition_text, source ? " (" : "", source, source ? ")" : ""));
  }
  return cell;
}

// The case so far, in the order things were done: "15 February 2027: Child protection review
// conference (1st), due Saturday 20 February 2027: on time".
function renderHistory(answer) {
  const list = el("ol", { class: "calc-history", "aria-label": "Case history" });
  for (const item of answer.history) {
    list.append(el("li", { "data-id": item.id, class: item.late ? "calc-history--late" : null },
      el("time", { datetime: item.done_at, text: item.text.slice(0, item.text.indexOf(":")) }),
      item.text.slice(item.text.indexOf(":"))));
  }
  return list;
}

function ruleCell(row) {
  const cell = el("td", { class: "calc-rule" }, el("span", { text: row.rule }));
  // "Whichever is sooner / later": each part's own date, and the one taken.
  if (row.parts_text) cell.append(el("span", { class: "calc-parts", text: row.parts_text }));
  const source = sourceLink(row.source);
  cell.append(el("span", { class: "calc-source" }, el("span", { class: "calc-layer", text: row.layer_text }),
    source ? ": " : "", source));
  return cell;
}

function renderTable(answer, rows = answer.rows, caption = answer.title) {
  const timeline = answer.kind === "timeline";
  const head = el("tr", {},
    el("th", { scope: "col", class: "calc-col-due", text: "Due" }),
    el("th", { scope: "col", text: "Step" }),
    timeline ? el("th", { scope: "col", text: "Counted from" }) : null,
    el("th", { scope: "col", text: "Rule and source" }),
    el("th", { scope: "col", text: "Notes and warnings" }));
  const body = el("tbody");
  const names = [...head.children].map((th) => th.textContent);
  for (const row of rows) {
    const tr = el("tr", { "data-id": row.id, "data-state": row.state || null,
      class: row.overdue ? "calc-row--overdue" : null },
      dueCell(row),
      stepCell(row),
      timeline ? el("td", { text: row.from_text }) : null,
      ruleCell(row),
      detailsCell(row));
    // On a narrow screen each row is stacked (calculator.css): each cell shows its column's name.
    [...tr.children].forEach((cell, i) => { if (cell.tagName === "TD") cell.dataset.label = names[i]; });
    body.append(tr);
  }
  return el("table", { class: "calc-table" }, el("caption", { text: caption }), el("thead", {}, head), body);
}

// A timeline shows what is still to do, then (apart) the steps already done.
function renderAnswer(answer) {
  const notes = (answer.notes || []).map((note) => el("p", { class: "calc-note", text: note }));
  // What must be read before the dates (an area's unreviewed draft rules) comes first.
  const warnings = (answer.warnings || []).map((w) => el("p", { class: "calc-warning calc-warning--draft", text: w }));
  if (answer.kind !== "timeline") return [...warnings, renderTable(answer), ...notes];
  const out = [...warnings];
  if (answer.history.length) out.push(el("h3", { text: "Case history" }), renderHistory(answer));
  out.push(el("h3", { text: "Still to do" }), renderTable(answer, answer.open, `${answer.title}: still to do`), ...notes);
  if (answer.done.length) {
    out.push(el("h3", { text: "Done" }), renderTable(answer, answer.done, `${answer.title}: done`));
  }
  return out;
}

function showAnswer(results, answer, { focus = true } = {}) {
  const prefix = results.id.replace(/-results$/, "");
  fill(document.getElementById(`${prefix}-results-summary`), answer.summary,
    answer.today_text ? text` Overdue is judged against the time now: ${answer.today_text} (UK time).` : "");
  const wrap = document.getElementById(`${prefix}-results-table`);
  fill(wrap, renderAnswer(answer));
  results.dataset.today = answer.today || "";
  results.dataset.at = answer.at || "";
  const link = results.querySelector('[data-role="link"]');
  const page = results.closest("[data-calculator]").dataset.compact === "true"
    ? new URL(results.closest("[data-calculator]").dataset.fullHref, location.href)
    : new URL(location.pathname, location.href);
  link.href = `${page.pathname}${answer.link}`;
  results.hidden = false;
  if (focus) {
    const title = document.getElementById(`${prefix}-results-title`);
    title.focus({ preventScroll: true });
    title.scrollIntoView({ block: "start" });
  }
}

async function downloadIcs(query) {
  const answer = await runtime().call(ICS_CALL, [BUNDLE, query]);
  if (!answer.ok) return;
  const url = URL.createObjectURL(new Blob([answer.text], { type: "text/calendar;charset=utf-8" }));
  const a = el("a", { href: url, download: answer.filename, class: "calc-visually-hidden" });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// ---- one form --------------------------------------------------------------------------------
function readDate(prefix) {
  const get = (id) => document.getElementById(`${prefix}-${id}`)?.value ?? "";
  return { day: get("date-day"), month: get("date-month"), year: get("date-year"), time: get("time") };
}

function fillDate(prefix, at) {
  const [date, time = ""] = at.split("T");
  const [year = "", month = "", day = ""] = date.split("-");
  const set = (id, value) => { const input = document.getElementById(`${prefix}-${id}`); if (input) input.value = value; };
  set("date-day", day ? String(Number(day)) : "");
  set("date-month", month ? String(Number(month)) : "");
  set("date-year", year);
  set("time", time);
}

// A deep link with a value the page does not know: keep the form, say so plainly.
function linkProblem(form, message) {
  let note = form.querySelector(".calc-link-problem");
  if (!note) {
    note = el("p", { class: "calc-link-problem", role: "status" });
    form.prepend(note);
  }
  note.textContent = message;
}

// The single-event form offers only events that start a deadline; the timeline passes them all.
const starting = (events) => events.filter((e) => e[2] !== 0);

function setEventOptions(select, events, selected) {
  const keep = selected ?? select.value;
  select.replaceChildren(...events.map(([id, label]) => el("option", { value: id, text: label })));
  if (events.some(([id]) => id === keep)) select.value = keep;
}

function setupDeadlineForm(root) {
  const prefix = root.dataset.prefix;
  const compact = root.dataset.compact === "true";
  const areaEvents = JSON.parse(root.dataset.areaEvents);
  const form = document.getElementById(`${prefix}-form`);
  const results = document.getElementById(`${prefix}-results`);
  const area = document.getElementById(`${prefix}-area`);
  const eventSelect = document.getElementById(`${prefix}-event`);
  form.dataset.prefix = prefix;
  form.hidden = false;
  bindStatus(document.getElementById(`${prefix}-status`));
  let lastQuery = null;

  if (area.tagName === "SELECT") {
    area.addEventListener("change", () => {
      setEventOptions(eventSelect, starting(areaEvents[area.value] || []));
      root.dispatchEvent(new CustomEvent("calc:area", { detail: area.value }));
    });
  }

  async function calculate({ focus = true, updateUrl = !compact } = {}) {
    const query = { area: area.value, event: eventSelect.value, ...readDate(prefix), today: UK_NOW };
    const started = performance.now();
    if (runtime().status.state !== "ready") {
      form.querySelector(".calc-status").textContent = "Your answer will appear as soon as the calculator has loaded.";
    }
    let answer;
    try {
      answer = await runtime().call(FORM_CALL, [BUNDLE, query]);
    } catch (err) {
      showErrors(form, [{ field: "event", parts: [], message: `Sorry, the calculator hit a problem: ${err.message}` }]);
      return null;
    }
    return timed("calculator:render", () => present(query, answer, started, { focus, updateUrl }));
  }

  function present(query, answer, started, { focus, updateUrl }) {
    if (!answer.ok) {
      results.hidden = true;
      showErrors(form, answer.errors);
      return answer;
    }
    clearErrors(form);
    lastQuery = { ...query, today: answer.today };   // the .ics for the "today" this answer used
    showAnswer(results, answer, { focus });
    if (updateUrl) history.replaceState(history.state, "", addressFor(answer));
    const more = root.querySelector('[data-role="full-link"]');
    if (more) { more.href = results.querySelector('[data-role="link"]').href; more.closest("p").hidden = false; }
    root.dispatchEvent(new CustomEvent("calc:answer", { detail: { query, answer } }));
    performance.mark("calculator:answer");
    if (!performance.getEntriesByName("calculator:first-answer").length) performance.mark("calculator:first-answer");
    results.dataset.ms = String(Math.round(performance.now() - started));
    return answer;
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); calculate(); });
  results.querySelector('[data-action="ics"]').addEventListener("click", () => lastQuery && downloadIcs(lastQuery));
  results.querySelector('[data-action="print"]').addEventListener("click", () => window.print());

  // Deep link: #area= preselects the area; #area=&event=&date=[&time=] prefills and calculates.
  // A compact form's area is fixed: it follows only a link for its own area.
  function applyLink(params) {
    const wanted = params.get("area");
    const answerWanted = Boolean(params.get("date") && params.get("event"));
    if (compact && (!answerWanted || wanted !== area.value)) return;
    if (wanted && area.tagName === "SELECT" && Object.hasOwn(areaEvents, wanted)) {
      if (area.value !== wanted) {
        area.value = wanted;
        setEventOptions(eventSelect, starting(areaEvents[wanted]));
        root.dispatchEvent(new CustomEvent("calc:area", { detail: wanted }));
      }
    } else if (wanted && area.tagName === "SELECT") {
      linkProblem(form, "The link names an area this calculator does not know: choose the area below.");
    }
    if (!answerWanted) return;
    if ([...eventSelect.options].some((o) => o.value === params.get("event"))) eventSelect.value = params.get("event");
    else linkProblem(form, "The link names an event this calculator does not know in this area: choose what happened below.");
    fillDate(prefix, params.get("date") + (params.get("time") ? `T${params.get("time")}` : ""));
    calculate({ focus: false, updateUrl: false });
  }
  applyLink(linkParams());
  if (!compact) onLinkChange(root, applyLink);
  return { root, area, eventSelect, calculate };
}

// ---- the case timeline -------------------------------------------------------------------------
function setupTimeline(section, main) {
  const form = section.querySelector("form");
  const entries = section.querySelector(".calc-timeline__entries");
  const template = section.querySelector("template");
  const results = document.getElementById("tl-results");
  const areaEvents = JSON.parse(main.root.dataset.areaEvents);
  form.dataset.prefix = "tl";
  form.dataset.entryPrefix = "tl";
  form.hidden = false;
  bindStatus(document.getElementById("tl-status"));
  let lastQuery = null;

  function renumber() {
    [...entries.children].forEach((fieldset, i) => {
      for (const n of fieldset.querySelectorAll('[data-role="n"]')) n.textContent = String(i + 1);
      fieldset.querySelector('[data-action="remove"]').hidden = entries.children.length === 1;
    });
  }

  function addEntry(values = {}) {
    const index = entries.children.length
      ? Math.max(...[...entries.children].map((f) => Number(f.dataset.index))) + 1 : 0;
    const html = template.content.cloneNode(true);
    for (const node of html.querySelectorAll("[id], [for], [aria-describedby]")) {
      for (const attr of ["id", "for", "aria-describedby"]) {
        if (node.hasAttribute(attr)) node.setAttribute(attr, node.getAttribute(attr).replaceAll("tl-N-", `tl-${index}-`));
      }
    }
    const fieldset = html.querySelector("fieldset");
    fieldset.dataset.index = String(index);
    const select = fieldset.querySelector("select");
    setEventOptions(select, areaEvents[main.area.value] || [], values.event);
    fieldset.querySelector('[data-action="remove"]').addEventListener("click", () => {
      fieldset.remove();
      renumber();
      entries.querySelector("select")?.focus();
    });
    entries.append(fieldset);
    if (values.at) fillDate(`tl-${index}`, values.at);
    renumber();
    return fieldset;
  }

  section.querySelector('[data-action="add"]').addEventListener("click", () => {
    addEntry().querySelector("select").focus();
  });
  main.root.addEventListener("calc:area", () => {
    for (const select of entries.querySelectorAll("select")) setEventOptions(select, areaEvents[main.area.value] || []);
  });
  // Redundant entry (WCAG 3.3.7): the first event of the timeline is the one just calculated.
  main.root.addEventListener("calc:answer", ({ detail }) => {
    const first = entries.firstElementChild;
    const index = first.dataset.index;
    const empty = ["date-day", "date-month", "date-year"].every((id) => !document.getElementById(`tl-${index}-${id}`).value);
    if (entries.children.length === 1 && empty) {
      first.querySelector("select").value = detail.query.event;
      fillDate(`tl-${index}`, detail.answer.at);
    }
  });

  function query() {
    return {
      area: main.area.value, today: UK_NOW,
      entries: [...entries.children].map((fieldset) => ({
        event: fieldset.querySelector("select").value, ...readDate(`tl-${fieldset.dataset.index}`),
      })),
    };
  }

  async function show({ focus = true, updateUrl = true } = {}) {
    const q = query();
    // Error fields are named entries.<position>; map positions to the entries' ids.
    const indexes = [...entries.children].map((f) => f.dataset.index);
    const answer = await runtime().call(TIMELINE_CALL, [BUNDLE, q]);
    return timed("calculator:render", () => present(q, indexes, answer, { focus, updateUrl }));
  }

  function present(q, indexes, answer, { focus, updateUrl }) {
    if (!answer.ok) {
      results.hidden = true;
      showErrors(form, answer.errors.map((e) => ({
        ...e, field: e.field.replace(/^entries\.(\d+)\./, (_, i) => `entries.${indexes[Number(i)]}.`),
      })));
      return answer;
    }
    clearErrors(form);
    lastQuery = { ...q, today: answer.today };
    showAnswer(results, answer, { focus });
    if (updateUrl) history.replaceState(history.state, "", addressFor(answer));
    return answer;
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); show(); });
  results.querySelector('[data-action="ics"]').addEventListener("click", () => lastQuery && downloadIcs(lastQuery));
  results.querySelector('[data-action="print"]').addEventListener("click", () => window.print());

  // Deep link: #area=&tl=event@date[Ttime] (repeated) fills the timeline and shows it.
  function applyLink(params) {
    const items = params.getAll("tl").map((v) => v.split("@")).filter(([e, at]) => e && at);
    if (!items.length) return false;
    const wanted = params.get("area");
    if (wanted && Object.hasOwn(areaEvents, wanted) && main.area.tagName === "SELECT") {
      if (main.area.value !== wanted) {
        main.area.value = wanted;
        setEventOptions(main.eventSelect, starting(areaEvents[wanted]));
      }
    } else if (wanted && main.area.tagName === "SELECT") {
      linkProblem(form, "The link names an area this calculator does not know: choose the area above.");
    }
    entries.replaceChildren();
    for (const [event, at] of items) addEntry({ event, at });
    show({ focus: false, updateUrl: false });
    return true;
  }
  if (!applyLink(linkParams())) addEntry();
  onLinkChange(main.root, applyLink);
}

export function initDeadlineForms(scope = document) {
  const roots = scope.querySelectorAll('[data-calculator="deadlines"]:not([data-ready])');
  if (!roots.length) return;
  runtime(); // start loading Python now, before anything is typed
  for (const root of roots) {
    root.dataset.ready = "true";
    const main = setupDeadlineForm(root);
    const timeline = root.querySelector(".calc-timeline");
    if (timeline) setupTimeline(timeline, main);
  }
}
