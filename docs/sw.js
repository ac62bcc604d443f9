// The site's service worker: the site keeps working offline after one visit (issue 23).
//
// The build stamps CONFIG (macros/deployment/offline.py) and writes offline.json, the list of
// the site's own files it keeps: every page, the assets they use, the calculators' runtime and
// the rules bundle (not the memory snapshot, which is kept only once the calculators fetched it).
// The list is a function of the build alone: nothing a person types or searches decides what is
// stored. Requests with a query string are never stored (old "?area=&date=" links carry case
// details); offline they get the page stored under their path. Every URL is relative to this
// file, so the site works from a sub-folder; caches are named with the scope, so two sites in
// folders of one origin keep apart.
//
// Pages, manifest.json and the other files that change between builds are network-first (the
// server's copy when online, stored for next time; the stored copy offline or after TIMEOUT_MS);
// content-hashed files (assets/calculator/, assets/pyodide/<version>/) are cache-first. A new
// build changes CONFIG.version, so the browser installs the new worker on the next visit online;
// it takes over at once and drops the previous build's cache.
//
// Off switch: build with SITE_OFFLINE=0. CONFIG.enabled is then false: this worker deletes its
// caches and unregisters itself, and offline.mjs registers nothing (docs/deploying.md).
const CONFIG = { version: "unbuilt", enabled: false, built_on: "", rules_version_short: "", snapshot: "" };
const SCOPE = self.registration.scope;
const PREFIX = `offline ${SCOPE} `;
const CACHE = PREFIX + CONFIG.version;
const IMMUTABLE = ["assets/calculator/", "assets/pyodide/"];
const MUTABLE = ["assets/calculator/manifest.json"];
const TIMEOUT_MS = 4000;
let reached = true;     // whether the last network-first request reached the server (for the footer)

// The key a URL is stored under: no query, no fragment, ".../index.html" as ".../".
function keyFor(url) {
  const u = new URL(url, SCOPE);
  u.search = "";
  u.hash = "";
  if (u.pathname.endsWith("/index.html")) u.pathname = u.pathname.slice(0, -"index.html".length);
  return u.href;
}

async function dropOldCaches(keepCurrent) {
  for (const name of await caches.keys()) {
    if (name.startsWith(PREFIX) && !(keepCurrent && name === CACHE)) await caches.delete(name);
  }
}

async function precache() {
  const list = await (await fetch(new URL("offline.json", SCOPE), { cache: "no-cache" })).json();
  const cache = await caches.open(CACHE);
  const saveData = Boolean(self.navigator.connection && self.navigator.connection.saveData);
  const urls = saveData ? list.pages : [...list.pages, ...list.files];
  let next = 0;
  async function lane() {
    while (next < urls.length) {
      const url = new URL(urls[next++], SCOPE);
      const rel = url.href.slice(SCOPE.length);
      const hashed = IMMUTABLE.some((p) => rel.startsWith(p)) && !MUTABLE.includes(rel);
      const response = await fetch(url, { cache: hashed ? "default" : "no-cache" });
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
      await cache.put(keyFor(url), response);
    }
  }
  await Promise.all([1, 2, 3, 4].map(lane));
}

self.addEventListener("install", (event) => {
  event.waitUntil((CONFIG.enabled ? precache() : Promise.resolve()).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    await dropOldCaches(CONFIG.enabled);
    if (!CONFIG.enabled) {
      await self.registration.unregister();
      return;
    }
    await self.clients.claim();
  })());
});

async function cacheFirst(request, key) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(key);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok && response.status === 200 && !new URL(request.url).search) await cache.put(key, response.clone());
  return response;
}

async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  const stored = await cache.match(key);
  if (!stored) return fetch(request);          // not one of the site's listed files: not kept
  const network = fetch(request).then(async (response) => {
    reached = true;
    // Stored only without a query: what a query carries never reaches the cache.
    if (response.status === 200 && !new URL(request.url).search) await cache.put(key, response.clone());
    return response;
  });
  network.catch(() => {});
  const late = new Promise((resolve) => setTimeout(() => resolve(null), TIMEOUT_MS));
  try {
    return (await Promise.race([network, late])) || stored;
  } catch (err) {
    reached = false;
    return stored;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (!CONFIG.enabled || request.method !== "GET" || !request.url.startsWith(SCOPE)) return;
  const key = keyFor(request.url);
  const rel = key.slice(SCOPE.length);
  if (rel === "sw.js" || rel === "offline.json") return;
  const hashed = IMMUTABLE.some((p) => rel.startsWith(p)) && !MUTABLE.includes(rel);
  if (rel === CONFIG.snapshot) {
    event.respondWith(cacheFirst(request, key));    // kept once the calculators fetched it
  } else if (hashed) {
    event.respondWith(caches.open(CACHE).then((c) => c.match(key)).then((hit) => hit || fetch(request)));
  } else if (request.mode === "navigate") {
    event.respondWith(networkFirst(request, key).catch(async () =>
      (await (await caches.open(CACHE)).match(keyFor("404.html"))) || Response.error()));
  } else {
    event.respondWith(networkFirst(request, key));
  }
});

// The page asks which build is kept (offline.mjs shows it in the footer).
self.addEventListener("message", (event) => {
  if (!event.data || event.data.type !== "offline-status" || !event.ports[0]) return;
  event.ports[0].postMessage({ version: CONFIG.version, offline: !reached, built_on: CONFIG.built_on,
                               rules_version_short: CONFIG.rules_version_short });
});
