// Warm the HTTP cache with the calculators' runtime in idle time, on pages without a calculator.
//
// The files are content-addressed (served as immutable), so once fetched they are reused
// without a request. <link rel="prefetch"> fetches at the lowest priority, never blocks the
// page, and stores the response in the HTTP cache; it is added by script (no inline script).
import { SITE_ROOT } from "./site.mjs";

let done = false;

function whenIdle(callback) {
  if ("requestIdleCallback" in globalThis) requestIdleCallback(callback, { timeout: 5000 });
  else setTimeout(callback, 2000);
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
  if (done || navigator.connection?.saveData) return;
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
