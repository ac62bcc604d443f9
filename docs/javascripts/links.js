/* Links that never break, and "Copy link" on every section and paragraph.
 *
 * 1. Old links: if the page is opened at a #id it no longer has, assets/moved-ids.json
 *    (written by the build from rules/moved-ids.yaml) says where that id went, and the
 *    browser goes there. On a redirect page (an old page address) the #fragment is kept
 *    (and mapped if it moved too).
 * 2. Copy link: a button after every section heading and paragraph with a stable id copies
 *    the full address with that id and says "Link copied" in a live region.
 * External file only: the site's Content-Security-Policy is script-src 'self'.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = new URL("../", script.src);           // this file is <site>/javascripts/links.js

  function movedMap() {
    return fetch(new URL("assets/moved-ids.json", base)).then(function (r) { return r.ok ? r.json() : {}; })
      .catch(function () { return {}; });
  }

  // The id an address's fragment names: "" for none, for a malformed one ("#%E0%A4%A") and for
  // the calculator's own state ("#area=dudley&date=..."), which is never an id.
  function fragmentId() {
    var raw = location.hash.slice(1);
    var id;
    try { id = decodeURIComponent(raw); } catch (e) { return ""; }
    return /[=&]/.test(id) ? "" : id;
  }

  // Where an id moved to: only the map's own entries ("#__proto__", "#constructor" are not moves),
  // and only to an address on this site.
  function movedTo(map, id) {
    var fragments = map && typeof map === "object" ? map.fragments : null;
    if (!id || !fragments || typeof fragments !== "object" ||
        !Object.prototype.hasOwnProperty.call(fragments, id) || typeof fragments[id] !== "string") return null;
    try {
      var target = new URL(fragments[id], base);
      return target.origin === location.origin ? target.href : null;
    } catch (e) {
      return null;
    }
  }

  function followMoves() {
    var redirect = script.getAttribute("data-redirect");
    var id = fragmentId();
    if (!redirect && (!id || document.getElementById(id))) return;
    movedMap().then(function (map) {
      var moved = movedTo(map, id);
      if (moved) { location.replace(moved); return; }
      if (redirect) location.replace(new URL(redirect, location.href).href.split("#")[0] + location.hash);
    });
  }

  function status() {
    var el = document.getElementById("copy-link-status");
    if (!el) {
      el = document.createElement("div");
      el.id = "copy-link-status";
      el.className = "copy-status";
      el.setAttribute("role", "status");
      el.setAttribute("aria-live", "polite");
      document.body.appendChild(el);
    }
    return el;
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {          // plain-http intranets
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed"; area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy refused")); }
    });
  }

  function addButton(target, id, what) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-link";
    button.setAttribute("data-copy-id", id);
    button.appendChild(document.createTextNode("Copy link"));
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = " to " + what;
    button.appendChild(hidden);
    button.addEventListener("click", function () {
      var url = location.origin + location.pathname + "#" + id;
      var live = status();
      live.textContent = "";
      copyText(url).then(function () { live.textContent = "Link copied"; },
        function () { live.textContent = "Could not copy: the link is " + url; });
      window.setTimeout(function () { if (live.textContent === "Link copied") live.textContent = ""; }, 4000);
    });
    target(button);
  }

  function addCopyLinks() {
    var article = document.querySelector("article.md-content__inner");
    if (!article) return;
    article.querySelectorAll("h2[id], h3[id], h4[id], h5[id], h6[id]").forEach(function (h) {
      // The calculators' own headings (results, "There is a problem") are not sections of a procedure.
      if (h.closest("[data-calculator], .calc, .calc-error-summary")) return;
      var text = (h.textContent || "").replace(/\u00b6/g, "").trim();
      addButton(function (b) { h.appendChild(b); }, h.id, "section " + text);
    });
    article.querySelectorAll(".proc-block[id]").forEach(function (block) {
      var anchor = block.querySelector(".proc-anchor");
      var what = anchor ? (anchor.getAttribute("aria-label") || "").replace(/^Link to /, "") : block.id;
      addButton(function (b) { block.insertBefore(b, anchor ? anchor.nextSibling : block.firstChild); }, block.id, what);
    });
  }

  // A wide table scrolls inside its wrapper (reflow at 320 px, WCAG 1.4.10); a keyboard user
  // must be able to scroll it too (WCAG 2.1.1), so a wrapper that overflows becomes a labelled,
  // focusable region. Checked again when the window size changes.
  function scrollableTables() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        if (!wrap.hasAttribute("tabindex")) {
          var table = wrap.querySelector("table");
          var caption = table && table.querySelector("caption");
          var heading = wrap.closest(".md-typeset") && (function () {
            for (var el = wrap.previousElementSibling; el; el = el.previousElementSibling) {
              if (/^H[2-6]$/.test(el.tagName)) return el;
            }
            return null;
          })();
          var name = caption ? caption.textContent : heading ? heading.textContent.replace(/\u00b6/g, "") : "";
          wrap.setAttribute("tabindex", "0");
          wrap.setAttribute("role", "region");
          wrap.setAttribute("aria-label", "Table" + (name.trim() ? ": " + name.trim() : "") + " (scrolls sideways)");
        }
      } else if (wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }

  function onPage() {
    followMoves();
    if (!script.getAttribute("data-redirect")) addCopyLinks();
    scrollableTables();
  }

  // This page now, as the script runs (before the calculators add their own headings). Material's
  // instant navigation swaps in later pages without running this file again: document$ announces
  // each of them (its first emission is this page, already done). A redirect page has no Material script.
  onPage();
  if (window.document$ && typeof window.document$.subscribe === "function") {
    var first = true;
    window.document$.subscribe(function () {
      if (first) { first = false; return; }
      onPage();
    });
  }
  var pending = false;       // at most once a frame: a handful of tables, cheap to measure
  window.addEventListener("resize", function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; scrollableTables(); });
  });
})();
