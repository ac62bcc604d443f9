// Threshold checker page glue (ES module, registered with main.mjs). Thin on purpose: it
// collects the ticked ids, asks tools.thresholds.check (Python, in Pyodide, in the
// calculators' Web Worker: client.mjs) for the answer and renders the dict it returns.
// No decision is made here. Nothing is sent anywhere and nothing is stored (no cookies,
// no localStorage, nothing in the address): the ticks live in the page.
//
// The page (macros/site/templates/pages/threshold-checker.html, data from macros/site/threshold_page.py)
// works without this script: it is then the full list of indicators and red flags with their
// citations, and the "act now" panel. Nothing ticked: the GOV.UK error summary, not the checker.
import { BUNDLE, runtime, timed } from "./client.mjs";
import { clearErrorMessage, clearErrorSummary, el, fill, showErrorMessage, showErrorSummary, text } from "./components.mjs";
import { registerCalculator } from "./main.mjs";
import { SITE_ROOT } from "./site.mjs";

const CHECK_CALL = "tools.thresholds.check";
const NOTHING_TICKED = "Select at least one concern, or the immediate-danger question";

export function initThresholdCheckers(scope = document) {
  for (const root of scope.querySelectorAll('[data-calculator="thresholds"]:not([data-ready])')) {
    root.dataset.ready = "true";
    init(root);
  }
}

registerCalculator(initThresholdCheckers);

function init(root) {
  const area = root.dataset.area;
  const $ = (sel) => root.querySelector(sel);
  const boxes = () => Array.from(root.querySelectorAll('input[type="checkbox"]'));
  const status = $("#tc-status");
  const actNow = $("#tc-act-now");
  const filterBox = $(".calc-filter");
  const filterInput = $("#tc-filter-input");
  const filterCount = $("#tc-filter-count");
  const actions = $("#tc-actions");
  const result = $("#tc-result");
  const resultBody = $("#tc-result-body");
  const resultTitle = $("#tc-result-title");
  const selectedCount = $("#tc-selected-count");
  const copyStatus = $("#tc-copy-status");
  const errorSummary = $("#tc-errors");
  const selectionError = $("#tc-selection-error");
  const hasGrid = $("#tc-indicators") !== null;   // areas without a levels-of-need grid show no level
  let last = null;          // the last check() dict shown
  let shown = false;        // a result is on screen: keep it up to date
  let seq = 0;

  root.classList.add("calc--js");
  const noJs = $(".calc-nojs");
  if (noJs) noJs.hidden = true;
  if (filterBox) filterBox.hidden = false;
  if (actions) actions.hidden = false;

  // -- the engine ------------------------------------------------------------------------------
  const rt = runtime();     // start loading Python now, in the worker, before anything is ticked
  let lastState = "";
  let waiting = false;
  rt.onStatus((s) => {
    if (!status.isConnected || s.state === lastState) return;   // loading, ready, error: once each
    lastState = s.state;
    root.dataset.state = s.state;
    if (s.state === "loading") say("Loading the checker\u2026 the lists below can be used already.");
    // Clear only the loading notice: never a message that was announced since (the 999 advice).
    else if (s.state === "ready") { if (waiting) say("Ready."); else if (status.textContent.startsWith("Loading")) say(""); }
    else say("Sorry, the checker could not start in this browser. The lists on this page still show " +
             "what the documents say, with the sections to read.");
  });

  async function runCheck() {
    const indicators = boxes().filter((b) => b.checked && b.name === "indicator").map((b) => b.value);
    const flags = boxes().filter((b) => b.checked && b.name === "flag").map((b) => b.value);
    const mine = ++seq;
    if (rt.status.state !== "ready") {
      waiting = true;
      say("Your answer will appear as soon as the checker has loaded.");
    }
    const answer = await rt.call(CHECK_CALL, [BUNDLE, area], { indicators, flags });
    if (mine !== seq) return null;          // a newer question was asked meanwhile
    return answer;
  }

  // -- nothing ticked: the GOV.UK error summary, linking to the first question -----------------
  function showNothingTicked() {
    const first = boxes()[0] || null;
    if (selectionError) {
      showErrorMessage(selectionError, NOTHING_TICKED);
      const fieldset = selectionError.closest("fieldset");
      const described = (fieldset.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (!described.includes(selectionError.id)) fieldset.setAttribute("aria-describedby", [...described, selectionError.id].join(" "));
    }
    showErrorSummary(errorSummary, [{ target: first, message: NOTHING_TICKED }]);
  }

  function clearNothingTicked() {
    clearErrorSummary(errorSummary);
    if (!selectionError) return;
    clearErrorMessage(selectionError);
    const fieldset = selectionError.closest("fieldset");
    const described = (fieldset.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && id !== selectionError.id);
    if (described.length) fieldset.setAttribute("aria-describedby", described.join(" "));
    else fieldset.removeAttribute("aria-describedby");
  }

  function hideResult() {
    result.hidden = true;
    shown = false;
    last = null;
  }

  async function showResult(moveFocus) {
    if (!boxes().some((b) => b.checked)) {
      seq++;                                // forget any answer still on its way
      hideResult();
      if (moveFocus) showNothingTicked();
      else say("Nothing is ticked: the suggested pathway is hidden.");
      return;
    }
    clearNothingTicked();
    let answer;
    try {
      answer = await runCheck();
    } catch (err) {
      renderError(err);
      return;
    }
    if (!answer) return;
    last = answer;
    try {
      timed("calculator:render", () => render(answer));
    } catch (err) {
      renderError(err);
      return;
    }
    // What the answer is for (ids, as ticked), so a test can wait for this very answer.
    result.dataset.answered = [...answer.selected.indicators, ...answer.selected.flags].map((x) => x.id).join(" ");
    result.hidden = false;
    shown = true;
    if (moveFocus) {
      resultTitle.focus();
    } else {
      say("Suggested pathway updated: " + answer.pathway_label + ".");
    }
  }

  // -- events ---------------------------------------------------------------------------------
  root.addEventListener("change", (ev) => {
    const box = ev.target;
    if (!(box instanceof HTMLInputElement) || box.type !== "checkbox") return;
    updateActNow(box);
    updateCount();
    if (shown) showResult(false);
  });
  $("#tc-check").addEventListener("click", () => showResult(true));
  $("#tc-clear").addEventListener("click", () => {
    boxes().forEach((b) => { b.checked = false; });
    updateActNow(null);
    updateCount();
    hideResult();
    clearNothingTicked();
    say("All ticks cleared.");
  });
  $("#tc-skip").addEventListener("click", (ev) => {
    ev.preventDefault();                  // no fragment in the address; focus the button itself
    const button = $("#tc-check");
    button.focus();
    button.scrollIntoView({ block: "nearest" });
  });
  $("#tc-copy").addEventListener("click", () => copySummary());
  $("#tc-print").addEventListener("click", () => window.print());

  if (filterInput) {
    let timer = null;
    filterInput.addEventListener("input", () => {
      applyFilter(filterInput.value);
      clearTimeout(timer);
      timer = setTimeout(() => announceFilter(filterInput.value), 600);
    });
    filterInput.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape" && filterInput.value) {
        filterInput.value = "";
        applyFilter("");
        announceFilter("");
        ev.preventDefault();
      } else if (ev.key === "Enter") {
        ev.preventDefault();      // never submit anything anywhere
      }
    });
  }

  // -- immediate danger: shown at once, before the engine is even loaded ------------------------
  function updateActNow(box) {
    if (!actNow) return;
    const danger = boxes().some((b) => b.checked && b.dataset.pathway === "immediate-protection");
    const was = !actNow.hidden;
    actNow.hidden = !danger;
    if (danger && !was && box) {
      say("Immediate danger: call the police on 999 now. What to do is shown under the question.");
    }
  }

  function updateCount() {
    const n = boxes().filter((b) => b.checked).length;
    selectedCount.textContent = n ? text`${n} ticked` : "";
  }

  // -- the filter -------------------------------------------------------------------------------
  function words(text) {
    return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim().split(" ").filter(Boolean);
  }

  function applyFilter(text) {
    const want = words(text);
    let shownItems = 0;
    for (const section of root.querySelectorAll(".calc-section")) {
      for (const item of section.querySelectorAll(".calc-checkboxes__item")) {
        const hay = item.dataset.search || "";
        const ok = want.every((w) => hay.includes(w));
        item.hidden = !ok;
        if (ok) shownItems++;
      }
      for (const box of section.querySelectorAll(".calc-dimension, .calc-flag-group, .calc-domain, details.calc-level")) {
        const any = box.querySelector(".calc-checkboxes__item:not([hidden])") !== null;
        box.hidden = !any;
        if (box.tagName === "DETAILS" && want.length && any) box.open = true;
      }
      const none = section.querySelector(".calc-no-match");
      if (none) none.hidden = section.querySelector(".calc-checkboxes__item:not([hidden])") !== null;
    }
    root.dataset.matches = String(shownItems);
    return shownItems;
  }

  function announceFilter(text) {
    const total = root.querySelectorAll(".calc-section .calc-checkboxes__item").length;
    const n = Number(root.dataset.matches || total);
    filterCount.textContent = words(text).length
      ? `${n} of ${total} items match \u201c${text.trim()}\u201d.`
      : "";
  }

  // -- rendering the engine's answer ------------------------------------------------------------
  function href(url) {
    return new URL(url, SITE_ROOT).href;
  }

  function cite(source) {
    if (!source) return null;
    return el("span", { class: "calc-source" },
      el("a", { class: "calc-cite", href: href(source.url) }, text`${source.document}, ${source.section}`));
  }

  function telHref(number) {
    let digits = number.replace(/[^0-9+]/g, "");
    if (digits.startsWith("0") && digits.length > 6) digits = "+44" + digits.slice(1);
    return "tel:" + digits;
  }

  function contactItem(c) {
    const phones = (c.phones || []).map((p, i) => [i ? ", " : "",
      el("a", { class: "calc-tel", href: telHref(p.number) }, p.number),
      p.label && p.label !== "Telephone" ? text` (${p.label})` : ""]);
    return el("li", {},
      el("strong", {}, c.name),
      phones.length ? [": ", ...phones.flat()] : ": the document gives no telephone number",
      c.address && c.address.length ? el("br") : null,
      c.address && c.address.length ? c.address.join(", ") : null);
  }

  function render(r) {
    result.dataset.pathway = r.pathway;
    fill(resultBody,
      el("p", { class: "calc-result__pathway" }, r.pathway_label),
      el("p", {}, r.pathway_words),
      !hasGrid ? null : el("p", {}, r.level === null ? "Level of need: no indicator ticked."
        : text`Level of need: level ${r.level} (the highest level ticked).`),
      el("h3", {}, "Who to contact"),
      r.contacts.length
        ? el("ul", { class: "calc-contacts" }, r.contacts.map(contactItem))
        : r.layer !== r.area
          ? el("p", { class: "calc-no-contact" }, "National guidance names no contact for this pathway: see ",
              el("a", { class: "calc-link", href: href(`${r.area}/contacts/`) }, text`${r.area_name}'s contacts`), ".")
          : el("p", {}, "The document names no contact for this pathway."),
      el("h3", {}, "What to do now"),
      r.next_steps.length
        ? el("ol", {}, r.next_steps.map((s) => el("li", {}, s.text, " ", cite(s.section))))
        : el("p", {}, "The document gives no further steps for this pathway."),
      el("h3", {}, "Why"),
      el("ul", {}, r.reasons.map((x) => el("li", {},
        x.kind === "rule" ? (x.inherited ? el("strong", {}, "National guidance: ") : "")
          : el("strong", {}, x.kind === "indicator" ? text`You ticked (level ${x.level}): `
            : x.kind === "link" ? "Also a child-protection trigger: "
              : x.inherited ? "You ticked (national guidance): " : "You ticked: "),
        x.text, " ", cite(x.source)))),
      el("h3", {}, "What you ticked"),
      (r.selected.flags.length + r.selected.indicators.length)
        ? el("ul", {}, [...r.selected.flags.map((f) => el("li", {}, f.text)),
                        ...r.selected.indicators.map((i) => el("li", {}, text`Level ${i.level}, ${i.dimension}: ${i.text}`))])
        : el("p", {}, "Nothing."),
      r.documents_text ? el("p", { class: "calc-documents" }, r.documents_text) : null);
    copyStatus.textContent = "";
  }

  function renderError(err) {
    result.hidden = false;
    result.dataset.pathway = "";
    fill(resultBody, el("p", { class: "calc-error-message" },
      "The checker could not answer: " + (err && err.message ? err.message : String(err))));
    resultTitle.focus();
  }

  // -- copy and print ---------------------------------------------------------------------------
  async function copySummary() {
    if (!last) return;
    const text = last.summary;
    try {
      await navigator.clipboard.writeText(text);
      copyStatus.textContent = "Summary copied. It contains no names.";
      return;
    } catch (e) {
      // Not a secure context, or no permission: fall back to a selected text area.
    }
    let area = result.querySelector("textarea.calc-summary-text");
    if (!area) {
      area = el("textarea", { class: "calc-summary-text calc-input calc-input--search", rows: "10", readonly: true,
                              "aria-label": "Summary to copy" });
      result.querySelector(".calc-result__actions").after(area);
    }
    area.value = text;
    area.focus();
    area.select();
    let ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    copyStatus.textContent = ok ? "Summary copied. It contains no names."
      : "The summary is selected below: press Ctrl+C (or Cmd+C) to copy it.";
  }

  function say(text) {
    status.textContent = text;
  }

  updateActNow(null);
  updateCount();
}
