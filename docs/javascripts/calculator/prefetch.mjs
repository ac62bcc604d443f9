// Warm the HTTP cache with the calculators' runtime in idle time, on pages without a calculator.
//
// Never on a connection the user pays for or that is slow: not with Save-Data
// (navigator.connection.saveData), not on a metered connection (connection.metered, or
// type "cellular"), not on effectiveType "slow-2g", "2g" or "3g". Browsers without the
// Network Information API (Firefox, Safari) prefetch. Never before the page is idle:
// after the load event, then in an idle callback (no timeout, so a busy page waits).
//
// The files are content-addressed (served as immutable), so once fetched they are reused
// without a request. <link rel="prefetch"> fetches at the lowest priority, never blocks the
// page, and stores the response in the HTTP cache; it is added by script (no inline script).
import { SITE_ROOT } from "./site.mjs";

let done = false;

const SLOW = new Set(["slow-2g", "2g", "3g"]);

/** Whether this connection may be used for a 21 MB download nobody asked for yet. */
export function mayPrefetch(connection = navigator.connection) {
  if (!connection) return true;
  if (connection.saveData) return false;
  if (connection.metered === true || connection.type === "cellular") return false;
  return !SLOW.has(connection.effectiveType);
}

export function whenIdle(callback) {
  const idle = () => {
    if ("requestIdleCallback" in globalThis) requestIdleCallback(callback);
    else setTimeout(callback, 2000);
  };
  if (document.readyState === "complete") idle();
  else addEventListener("load", idle, { once: true });
}

// Once what the page was opened for is here, then in idle time: on a page with a calculator, its
// first answer (or, when nothing is asked of it, Python ready and 3 s more); on any other page,
// the load event. What is only for later (the service worker's offline copy, the search engine)
// waits for this, so on a slow link it does not share the bandwidth with the first answer
// (bench/bench_throttled.py measures the bytes before and after the answer). A calculator that
// never starts holds nothing back for long: 120 s after the load event it counts as settled.
const ANSWER = "calculator:first-answer";
const READY = "calculator:ready";
export function whenSettled(callback) {
  if (!document.querySelector("[data-calculator]")) {
    whenIdle(callback);
    return;
  }
  let done = false;
  let observer = null;
  const settle = () => {
    if (done) return;
    done = true;
    observer?.disconnect();
    whenIdle(callback);
  };
  if (performance.getEntriesByName(ANSWER, "mark").length) {
    settle();
    return;
  }
  observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.name === ANSWER) settle();
      else if (entry.name === READY) setTimeout(settle, 3000);
    }
  });
  observer.observe({ type: "mark", buffered: true });
  const fallback = () => setTimeout(settle, 120_000);
  if (document.readyState === "complete") fallback();
  else addEventListener("load", fallback, { once: true });
}

function addPrefetch(url, as) {
  const href = new URL(url, SITE_ROOT).href;
  if (document.head.querySelector(`link[rel="prefetch"][href="${CSS.escape(href)}"]`)) return;
  const link = document.createElement("link");
  link.rel = "prefetch";
  link.href = href;
  if (as) link.as = as;
  document.head.append(link);
}

export function prefetchRuntime() {
  if (done || !mayPrefetch()) return;
  done = true;
  whenIdle(async () => {
    try {
      const manifest = await (await fetch(new URL("assets/calculator/manifest.json", SITE_ROOT), { priority: "low" })).json();
      for (const name of ["worker.mjs", "site.mjs", "client.mjs", "components.mjs", "deadlines.mjs"]) {
        addPrefetch(new URL(name, import.meta.url).href);
      }
      for (const url of manifest.prefetch) addPrefetch(url);
    } catch (err) {
      // Offline or no calculators in this build: nothing to warm.
    }
  });
}
