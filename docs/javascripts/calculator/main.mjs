// Entry point (mkdocs.yml extra_javascript, type: module): wires the calculators on every page.
//
// - A page with a calculator ([data-calculator]) starts the Python worker at once; the form
//   is usable immediately and answers as soon as Python is ready.
// - Any other page warms the HTTP cache in idle time (prefetch.mjs), so the first
//   calculator a user opens is a warm load.
// - Material's instant navigation (if enabled) swaps the page without reloading scripts:
//   document$ tells us about every new page; the worker survives the swap.
import { runtime, timed } from "./client.mjs";
import { initDeadlineForms } from "./deadlines.mjs";
import { prefetchRuntime } from "./prefetch.mjs";

performance.mark("calculator:script");

// While Python is loading, each calculator is set up in a task of its own, not inside Material's
// DOMContentLoaded listener (document$ emits from it): the set-up added to that listener made
// one long task (> 50 ms) of the two, and nothing can be answered yet anyway. Once Python is
// ready (a page swapped in by instant navigation), at once: the form is then usable in the
// page's first paint, not one paint and layout later (~50 ms on 2 loaded cores).
const now = (init) => timed("calculator:init", () => init(document));
const soon = (init) => setTimeout(() => now(init), 0);

const initialisers = [initDeadlineForms];
export function registerCalculator(init) {
  initialisers.push(init);
  soon(init);
}

function onPage() {
  if (document.querySelector("[data-calculator]")) {
    const ready = runtime().status.state === "ready";   // else the worker starts loading Python now
    for (const init of initialisers) (ready ? now : soon)(init);
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
