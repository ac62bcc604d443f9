/* Display preferences: "Text size" (standard, large, larger) and "High visibility".
 *
 * Only the display preference is stored, in localStorage under two clearly named keys:
 *   "display.textSize"       "standard" | "large" | "larger"   (absent = standard)
 *   "display.highVisibility" "on"                              (absent = off)
 * Nothing else is read or written: no case data, no form value, no page address.
 *
 * Loaded in <head> (docs/overrides/main.html, block extrahead) as an external file, because the
 * Content-Security-Policy forbids inline script. It runs before the body is parsed, so the
 * preference is on <html> (data-text-size, data-high-visibility) before the first paint; the
 * buttons (rendered hidden by the template, since they need JavaScript) are shown and wired
 * once the page is parsed. An unknown stored value, or storage that is blocked, gives the
 * default: the page never fails because of a preference.
 */
(function () {
  "use strict";
  var SIZE_KEY = "display.textSize";
  var CONTRAST_KEY = "display.highVisibility";
  var SIZES = ["standard", "large", "larger"];
  var root = document.documentElement;

  function read(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }

  function write(key, value) {
    try {
      if (value === null) { window.localStorage.removeItem(key); } else { window.localStorage.setItem(key, value); }
    } catch (e) { /* storage blocked: the choice lasts for this page only */ }
  }

  function size() {
    var value = read(SIZE_KEY);
    return SIZES.indexOf(value) >= 0 ? value : "standard";
  }

  function highVisibility() { return read(CONTRAST_KEY) === "on"; }

  function apply() {
    var s = size();
    if (s === "standard") { root.removeAttribute("data-text-size"); } else { root.setAttribute("data-text-size", s); }
    if (highVisibility()) { root.setAttribute("data-high-visibility", "on"); } else { root.removeAttribute("data-high-visibility"); }
  }

  apply();                                   // before the first paint

  function sync(controls) {
    var s = size();
    controls.querySelectorAll("[data-text-size]").forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-text-size") === s ? "true" : "false");
    });
    controls.querySelectorAll("[data-high-visibility]").forEach(function (b) {
      b.setAttribute("aria-pressed", highVisibility() ? "true" : "false");
    });
  }

  function wire() {
    var controls = document.querySelector(".display-controls");
    if (!controls || controls.hasAttribute("data-wired")) return;
    controls.setAttribute("data-wired", "");
    controls.querySelectorAll("[data-text-size]").forEach(function (b) {
      b.addEventListener("click", function () {
        var s = b.getAttribute("data-text-size");
        write(SIZE_KEY, s === "standard" ? null : s);
        apply(); sync(controls);
      });
    });
    controls.querySelectorAll("[data-high-visibility]").forEach(function (b) {
      b.addEventListener("click", function () {
        write(CONTRAST_KEY, highVisibility() ? null : "on");
        apply(); sync(controls);
      });
    });
    sync(controls);
    controls.hidden = false;
  }

  // Another tab changed the preference: follow it.
  window.addEventListener("storage", function (e) {
    if (e.key === SIZE_KEY || e.key === CONTRAST_KEY || e.key === null) {
      apply();
      var controls = document.querySelector(".display-controls");
      if (controls) sync(controls);
    }
  });

  // Material's instant navigation swaps in later pages without running this file again:
  // document$ (defined by Material's bundle, after this head script) announces each one.
  function start() {
    wire();
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(function () { apply(); wire(); });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
