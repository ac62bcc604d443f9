/* The glossary's abbreviations, readable by mouse, keyboard and touch (WCAG 1.4.13, 2.1.1).
 *
 * The build marks each abbreviation a page uses as <abbr title="meaning"> (macros/site/abbreviations.py).
 * A title shows only to a mouse that rests on it, so here each one becomes a term whose meaning
 * appears in a pop-up (one shared element, role="tooltip", named by aria-describedby):
 *   - shown when the term is pointed at, focused (the first use of each term on a page is a Tab
 *     stop: one per term, not one per use) or tapped/clicked;
 *   - hoverable: the pointer can move onto the pop-up without it closing;
 *   - dismissable: Escape closes it without moving focus; so does a tap elsewhere;
 *   - persistent: it stays until the pointer leaves both, focus moves, or it is dismissed.
 * Without JavaScript the title is kept. External file only: the Content-Security-Policy is script-src 'self'.
 */
(function () {
  "use strict";
  var tip = null;
  var current = null;
  var leaveTimer = 0;

  function tipElement() {
    if (tip && tip.isConnected) return tip;
    tip = document.createElement("span");
    tip.id = "glossary-tip";
    tip.className = "glossary-tip";
    tip.setAttribute("role", "tooltip");
    tip.hidden = true;
    tip.addEventListener("mouseenter", function () { window.clearTimeout(leaveTimer); });
    tip.addEventListener("mouseleave", function () { hideSoon(); });
    document.body.appendChild(tip);
    return tip;
  }

  function show(term) {
    window.clearTimeout(leaveTimer);
    var t = tipElement();
    if (current && current !== term) current.removeAttribute("aria-describedby");
    current = term;
    t.textContent = term.textContent + ": " + term.getAttribute("data-meaning");
    term.setAttribute("aria-describedby", t.id);
    t.hidden = false;
    var r = term.getBoundingClientRect();
    var width = t.offsetWidth;
    var left = Math.max(8, Math.min(r.left, document.documentElement.clientWidth - width - 8));
    t.style.left = (left + window.scrollX) + "px";
    t.style.top = (r.bottom + window.scrollY + 4) + "px";
  }

  function hide() {
    window.clearTimeout(leaveTimer);
    if (tip) tip.hidden = true;
    if (current) current.removeAttribute("aria-describedby");
    current = null;
  }

  function hideSoon() {
    window.clearTimeout(leaveTimer);
    leaveTimer = window.setTimeout(hide, 300);    // time to move the pointer onto the pop-up
  }

  function prepare() {
    var seen = {};
    document.querySelectorAll("article abbr[title]").forEach(function (term) {
      var meaning = term.getAttribute("title");
      if (!meaning) return;
      term.setAttribute("data-meaning", meaning);
      term.removeAttribute("title");                 // no second, mouse-only pop-up
      term.classList.add("glossary-term");
      var key = term.textContent;
      if (!seen[key]) { seen[key] = true; term.setAttribute("tabindex", "0"); }
      term.addEventListener("mouseenter", function () { show(term); });
      term.addEventListener("mouseleave", hideSoon);
      term.addEventListener("focus", function () { show(term); });
      term.addEventListener("blur", function () { if (current === term) hide(); });
      term.addEventListener("click", function (e) { e.stopPropagation(); show(term); });   // a tap
    });
  }

  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && current && tip && !tip.hidden) { hide(); e.stopPropagation(); }
  }, true);
  document.addEventListener("click", function (e) {
    if (current && !(tip && tip.contains(e.target))) hide();
  });

  prepare();
  // Material's instant navigation swaps pages in without running this file again.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    var first = true;
    window.document$.subscribe(function () {
      if (first) { first = false; return; }
      hide();
      prepare();
    });
  }
})();
