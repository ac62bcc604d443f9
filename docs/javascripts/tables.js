/* Wide tables reachable by keyboard (WCAG 2.1.1, 1.4.10 reflow at 320 px; axe: scrollable-region-focusable).
 *
 * Material wraps each Markdown table in .md-typeset__scrollwrap, which scrolls sideways when the
 * table is wider than the screen. A region that scrolls must be reachable by keyboard, and a
 * screen reader user must hear what it is: each wrapper that overflows becomes a focusable region
 * (tabindex="0", role="region") named after its table ("Table: <caption or heading>, scrolls
 * sideways"). A wrapper that fits is left as it is (no extra Tab stop). Checked again when the
 * window is resized, when a table comes near the screen and when instant navigation swaps the page.
 * External file only: the Content-Security-Policy is script-src 'self'.
 */
(function () {
  "use strict";

  function nameOf(wrap) {
    var table = wrap.querySelector("table");
    var caption = table && table.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    for (var el = wrap.previousElementSibling; el; el = el.previousElementSibling) {
      if (/^H[1-6]$/.test(el.tagName)) return el.textContent.replace(/¶\s*$/, "").trim();
    }
    var heading = wrap.closest("section, article");
    var h = heading && heading.querySelector("h1, h2, h3");
    return h ? h.textContent.replace(/¶\s*$/, "").trim() : "table";
  }

  function mark() {
    var wraps = document.querySelectorAll(".md-typeset__scrollwrap");
    for (var i = 0; i < wraps.length; i++) {
      var wrap = wraps[i];
      var scroller = wrap.querySelector(".md-typeset__table") || wrap;
      // A table off screen is not laid out (site.css: content-visibility: auto), so it cannot be
      // measured: it is treated as one that scrolls until it can be.
      var skipped = typeof wrap.checkVisibility === "function" && !wrap.checkVisibility({ contentVisibilityAuto: true });
      var overflows = skipped || scroller.scrollWidth > scroller.clientWidth + 1 || wrap.scrollWidth > wrap.clientWidth + 1;
      var target = wrap.scrollWidth > wrap.clientWidth + 1 ? wrap : scroller;
      if (overflows) {
        if (target.getAttribute("tabindex") !== "0") {
          target.setAttribute("tabindex", "0");
          target.setAttribute("role", "region");
          target.setAttribute("aria-label", "Table: " + nameOf(wrap) + ", scrolls sideways");
          target.setAttribute("data-scroll-region", "");
        }
      } else if (target.hasAttribute("data-scroll-region")) {
        target.removeAttribute("tabindex");
        target.removeAttribute("role");
        target.removeAttribute("aria-label");
        target.removeAttribute("data-scroll-region");
      }
    }
  }

  var pending = 0;
  function soon() {
    if (pending) return;
    pending = window.requestAnimationFrame(function () { pending = 0; mark(); });
  }

  window.addEventListener("resize", soon);
  document.addEventListener("scroll", soon, { passive: true });
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(mark);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mark);
  } else {
    mark();
  }
})();
