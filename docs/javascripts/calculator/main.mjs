// Entry point (mkdocs.yml extra_javascript, type: module): wires the calculators on every page.
//
// - A page with a calculator ([data-calculator]) starts the Python worker at once; the form
//   is usable immediately and answers as soon as Python is ready.
// - Any other page warms the HTTP cache in idle time (prefetch.mjs), so the first
//   calculator a user opens is a warm load.
// - Material's instant navigation (if enabled) swaps the page without reloading scripts:
//   document$ tells us about every new page; the worker survives the swap.
import { initDeadlineForms } from "./deadlines.mjs";
import { prefetchRuntime } from "./prefetch.mjs";

performance.mark("calculator:script");

const initialisers = [initDeadlineForms];
export function registerCalculator(init) {
  initialisers.push(init);
  init(document);
}

function onPage() {
  const calculators = document.querySelectorAll("[data-calculator]");
  if (calculators.length) {
    for (const init of initialisers) init(document);
  } else {
    prefetchRuntime();
  }
}

if (globalThis.document$ && typeof globalThis.document$.subscribe === "function") {
  globalThis.document$.subscribe(() => onPage());
} else if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", onPage, { once: true });
} else {
  onPage();
}
