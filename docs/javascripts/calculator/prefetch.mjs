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
