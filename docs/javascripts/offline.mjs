// Registers the site's service worker (sw.js at the site's root: offline after one visit) and says
// in the footer which build is saved on this device. No inline script; nothing typed is involved.
//
// Not before the page has what it was opened for: registering installs the worker, which copies
// the whole site for offline use (several MB); on a slow link that copy would share the bandwidth
// with a calculator's first answer. So it waits for the first answer on a page with a calculator,
// for the load event on any other page, and then for idle time (whenSettled, prefetch.mjs).
//
// Only over http(s) (never file:), only when the build has it on (the footer's
// data-offline="on"; SITE_OFFLINE=0 builds the off switch, see docs/deploying.md). The
// service worker's scope is its own folder, so this works from a sub-folder.
import { whenSettled } from "./calculator/prefetch.mjs";

const WORKER = new URL("../sw.js", import.meta.url);

function buildInfo() {
  return document.querySelector(".site-build-info");
}

async function savedVersion(registration) {
  const worker = registration.active;
  if (!worker) return null;
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(null), 3000);
    channel.port1.onmessage = (event) => { clearTimeout(timer); resolve(event.data); };
    worker.postMessage({ type: "offline-status" }, [channel.port2]);
  });
}

// "Saved for offline use: built on 2 December 2026 from rules version 1a2b3c4d", under the build line.
async function showStatus(registration) {
  const info = buildInfo();
  if (!info) return;
  const saved = await savedVersion(registration);
  let note = info.parentElement.querySelector(".site-offline-status");
  if (!saved) {
    note?.remove();
    return;
  }
  if (!note) {
    note = document.createElement("p");
    note.className = "site-offline-status";
    note.setAttribute("role", "status");
    note.style.cssText = "margin: auto 0.6rem; padding: 0.4rem 0; font-size: 0.64rem";
    info.after(note);
  }
  const offline = navigator.onLine === false || saved.offline ? "You are offline. " : "";
  note.textContent = `${offline}Saved for offline use: built on ${saved.built_on} from rules version ${saved.rules_version_short}`;
  note.dataset.version = saved.version;
}

async function start() {
  if (!("serviceWorker" in navigator) || !/^https?:$/.test(location.protocol)) return;
  const info = buildInfo();
  if (info && info.dataset.offline === "off") {
    // The off switch: fetch the new sw.js, which removes its caches and unregisters itself.
    const old = await navigator.serviceWorker.getRegistration(WORKER.href);
    await old?.update();
    return;
  }
  const registration = await navigator.serviceWorker.register(WORKER.href, { updateViaCache: "none" });
  await navigator.serviceWorker.ready;
  await showStatus(registration);
  navigator.serviceWorker.addEventListener("controllerchange", () => showStatus(registration));
  addEventListener("online", () => showStatus(registration));
  addEventListener("offline", () => showStatus(registration));
  if (globalThis.document$ && typeof globalThis.document$.subscribe === "function") {
    globalThis.document$.subscribe(() => showStatus(registration));   // instant navigation swaps the footer
  }
}

async function update() {
  // Already registered (an earlier visit): only the footer's status, at once; no new copy is made
  // before the page settles either way (the worker checks for a new build when it registers).
  if (!("serviceWorker" in navigator) || !/^https?:$/.test(location.protocol)) return;
  const registration = await navigator.serviceWorker.getRegistration(WORKER.href);
  if (registration?.active && buildInfo()?.dataset.offline !== "off") await showStatus(registration);
}

update().catch(() => {});
whenSettled(() => {
  performance.mark("offline:register");
  start().catch((err) => console.warn("offline: the service worker could not be registered", err));
});
