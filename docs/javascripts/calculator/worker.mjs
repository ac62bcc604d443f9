// The calculators' module Web Worker: runs Python (Pyodide, self-hosted) off the main thread.
//
// Everything it loads comes from this site: assets/calculator/manifest.json names the
// content-hashed files written at build time by macros/browser/pyodide_assets.py. Start-up:
//   1. fetch the manifest, then in parallel: import pyodide.mjs and pyodide.asm.mjs, fetch
//      the memory snapshot (when cached: Python already started, tools imported) or the tools
//      zip, the bundle;
//   2. loadPyodide restores the snapshot (or, without one, starts Python and unpacks
//      the tools zip); no lock file, no packages, no micropip, no loadPackage;
//   3. hands the bundle to Python and reports "ready".
// Protocol (generic; any calculator can use it):
//   page -> worker  {id, call: "tools.deadlines.deadlines_for", args: [...], kwargs: {...}}
//                   ({"$ref": "bundle"} in args/kwargs stands for the bundle; {"$ref": "uk-now"},
//                   anywhere, for the UK clock time now, "YYYY-MM-DDTHH:MM")
//   worker -> page  {id, ok: true, result} | {id, ok: false, error: {type, types, message}}
//                   {type: "status", state: "loading"|"ready"|"error", percent, message, timings}
import { SITE_ROOT } from "./site.mjs";

const CALC_DIR = "/home/pyodide/calculator"; // keep in step with macros/browser/pyodide_snapshot.mjs
const options = new URL(import.meta.url).searchParams;
const t0 = performance.now();
const timings = {};
const mark = (name) => { timings[name] = Math.round(performance.now() - t0); };

// UK clock time now, "YYYY-MM-DDTHH:MM" (overdue is judged against it). Read here, not in the
// page: the first Intl.DateTimeFormat costs 11-60 ms, a long task on the page's main thread.
let ukClock = null;
function ukNow() {
  ukClock ??= new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });
  const parts = Object.fromEntries(ukClock.formatToParts(new Date()).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

let percent = 0;
function status(state, message, extra = {}) {
  postMessage({ type: "status", state, percent: Math.round(percent), message, timings, ...extra });
}
function progress(value) {
  if (value > percent + 0.5) {
    percent = Math.min(value, 99);
    status("loading", "");
  }
}

// Fetch a file, reporting its bytes as progress between `from` and `to` percent.
async function fetchBytes(url, size, from, to) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  if (!response.body || !size) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    progress(from + (to - from) * Math.min(received / size, 1));
  }
  const out = new Uint8Array(received);
  let offset = 0;
  for (const c of chunks) { out.set(c, offset); offset += c.length; }
  return out;
}

// The snapshot file: "PSN1" | total u32 | runs u32 | (offset u32, length u32)* | the non-zero
// pages, gzip-compressed unless the manifest says "identity" (see macros/browser/pyodide_assets.py).
// Streamed: gunzip runs while the file is read, and each chunk is copied straight to its place
// in the memory image (no intermediate 15 MB buffer).
async function fetchSnapshot(url, size, encoding, from, to) {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`${url}: HTTP ${response.status}`);
  let received = 0;
  let body = response.body.pipeThrough(new TransformStream({
    transform(chunk, controller) {
      received += chunk.length;
      progress(from + (to - from) * Math.min(received / size, 1));
      controller.enqueue(chunk);
    },
  }));
  if (encoding === "gzip") body = body.pipeThrough(new DecompressionStream("gzip"));
  const reader = body.getReader();
  let header = new Uint8Array(0);
  let out = null;
  let runs = null;
  let run = 0;
  let done = 0;       // bytes of the current run already copied
  for (;;) {
    const { done: end, value } = await reader.read();
    if (end) break;
    let chunk = value;
    if (!out) {
      const joined = new Uint8Array(header.length + chunk.length);
      joined.set(header);
      joined.set(chunk, header.length);
      header = joined;
      if (header.length < 12) continue;
      const view = new DataView(header.buffer);
      if (String.fromCharCode(...header.subarray(0, 4)) !== "PSN1") throw new Error("not a packed snapshot");
      const count = view.getUint32(8, true);
      const headerSize = 12 + 8 * count;
      if (header.length < headerSize) continue;
      out = new Uint8Array(view.getUint32(4, true));
      runs = [];
      for (let k = 0; k < count; k++) runs.push([view.getUint32(12 + 8 * k, true), view.getUint32(16 + 8 * k, true)]);
      chunk = header.subarray(headerSize);
    }
    let pos = 0;
    while (pos < chunk.length && run < runs.length) {
      const [offset, length] = runs[run];
      const n = Math.min(length - done, chunk.length - pos);
      out.set(chunk.subarray(pos, pos + n), offset + done);
      pos += n;
      done += n;
      if (done === length) { run++; done = 0; }
    }
  }
  if (!out || run !== runs.length) throw new Error("the snapshot file is incomplete");
  return out;
}

// When to restore the memory snapshot (measured: bench/bench_throttled.py --variants, every byte
// through bench/shaper.py). Restoring it skips Python's start-up, but it is the biggest file of
// all (2.88 MB brotli, with the standard library shipped as bytecode): 6.6 MB instead of 3.8 MB
// before a first answer. At 10 Mbit/s that breaks the 4 MB budget (it answered in 7.3 s instead
// of 10.6 s on a loaded 2-core machine); at 1.6 Mbit/s it is slower (37.8 s instead of 25.0 s).
// So: the snapshot is used when it is already here (the HTTP cache, filled by an earlier visit or
// by the idle prefetch of pages without a calculator, or the offline cache); otherwise Python
// starts from scratch and the snapshot is fetched after the first answer, in the background, for
// the next visit, on a connection the prefetch would use (never with Save-Data, metered or slow).
// ?calculator-snapshot=1 or =0 forces it.
async function snapshotWanted(url) {
  const forced = options.get("snapshot");
  if (forced === "0" || forced === "1") return forced === "1";
  try {
    const cached = await fetch(url, { cache: "only-if-cached", mode: "same-origin" });
    if (cached.ok) {
      await cached.body?.cancel();
      return true;
    }
  } catch (err) {
    // not in the cache
  }
  return false;
}

const SLOW = new Set(["slow-2g", "2g", "3g"]);
function mayFetchForLater(connection = navigator.connection) {
  if (!connection) return true;
  if (connection.saveData || connection.metered === true || connection.type === "cellular") return false;
  return !SLOW.has(connection.effectiveType);
}

async function start() {
  timings.origin = performance.timeOrigin;   // the page relates it to its own navigation start
  status("loading", "");
  const manifestURL = new URL("assets/calculator/manifest.json", SITE_ROOT);
  const manifest = await (await fetch(manifestURL)).json();
  mark("manifest");
  progress(5);
  const base = new URL(manifest.pyodide.base, SITE_ROOT).href;
  const useSnapshot = manifest.snapshot && await snapshotWanted(new URL(manifest.snapshot.url, SITE_ROOT));
  timings.snapshotChosen = Boolean(useSnapshot);
  // Pyodide fetches the wasm and the standard library itself, once its modules have loaded, and
  // compiles the wasm while it streams in. Asking for both earlier, here, was measured
  // (bench/bench_throttled.py --only "10 " --runs 3, alternating, 10 Mbit/s): no gain, 5.18 and
  // 5.32 s without against 5.31 and 5.54 s with (Pyodide's request then waited for the first one
  // to finish in the HTTP cache, so the wasm no longer compiled while it downloaded).
  const modules = Promise.all([import(base + "pyodide.mjs"), import(base + "pyodide.asm.mjs")])
    .then((m) => { mark("modules"); progress(percent + 10); return m; });
  const bundleText = fetch(new URL(manifest.bundle.url, SITE_ROOT)).then((r) => r.text());
  const snapshot = useSnapshot
    ? fetchSnapshot(new URL(manifest.snapshot.url, SITE_ROOT), manifest.snapshot.size,
                    manifest.snapshot.encoding || "gzip", 10, 75)
        .then((b) => { mark("snapshot-ready"); return b; })
    : null;
  const toolsZip = useSnapshot ? null : fetchBytes(new URL(manifest.tools.url, SITE_ROOT), manifest.tools.size, 10, 20);
  ukNow();   // the clock's first reading (its locale data) while the files download
  const [{ loadPyodide }, asm] = await modules;
  const config = {
    indexURL: base,
    // The standard library trimmed to what the calculators load (macros/browser/stdlib.py).
    ...(manifest.pyodide.stdlib ? { stdLibURL: new URL(manifest.pyodide.stdlib.url, SITE_ROOT).href } : {}),
    lockFileContents: { info: manifest.pyodide.lock_info, packages: {} },
    packageBaseUrl: base,
    createPyodideModule: asm.default,
    env: { HOME: "/home/pyodide" },
  };
  let pyodide;
  if (snapshot) {
    try {
      pyodide = await loadPyodide({ ...config, _loadSnapshot: snapshot });
      mark("python");
    } catch (err) {
      console.warn("calculator: the memory snapshot could not be used; starting Python from scratch", err);
      pyodide = null;
    }
  }
  if (!pyodide) {
    const zip = toolsZip || fetchBytes(new URL(manifest.tools.url, SITE_ROOT), manifest.tools.size, 10, 20);
    pyodide = await loadPyodide(config);
    mark("python");
    progress(85);
    pyodide.FS.mkdirTree(CALC_DIR);
    pyodide.unpackArchive(await zip, "zip", { extractDir: CALC_DIR });
    pyodide.runPython(`import sys\nsys.path.insert(0, ${JSON.stringify(CALC_DIR)})\nimport tools.web`);
    mark("tools");
  }
  progress(90);
  const door = pyodide.pyimport("tools.web");
  door.set_bundle(await bundleText);
  mark("bundle");
  return door;
}

// The snapshot for the next visit: fetched after the first answer (1 s after this worker's first
// reply, or 5 s after Python is ready when nothing is asked), never before it, so on a slow link it
// does not share the bandwidth with the answer; only on a connection the prefetch would use.
let laterScheduled = false;
function fetchForLater(delay) {
  if (laterScheduled || timings.snapshotChosen || options.get("snapshot") === "0" || !mayFetchForLater()) return;
  laterScheduled = true;
  setTimeout(async () => {
    try {
      const manifest = await (await fetch(new URL("assets/calculator/manifest.json", SITE_ROOT))).json();
      if (manifest.snapshot) {
        const later = await fetch(new URL(manifest.snapshot.url, SITE_ROOT), { priority: "low" });
        await later.arrayBuffer();      // into the HTTP cache (immutable) for the next visit
      }
    } catch (err) {
      // offline, or the page went away: the next visit starts Python from scratch again
    }
  }, delay);
}

const ready = start();
ready.then(
  () => {
    percent = 100;
    mark("ready");
    status("ready", "Ready", { snapshot: "snapshot-ready" in timings });
    setTimeout(() => fetchForLater(0), 5000);
  },
  (err) => { console.error("calculator: Python could not start", err); status("error", String(err && err.message || err)); },
);

self.addEventListener("message", async (event) => {
  const { id, call, args = [], kwargs = {} } = event.data || {};
  if (id === undefined) return;
  let door;
  try {
    door = await ready;
  } catch (err) {
    postMessage({ id, ok: false, error: { type: "StartupError", types: ["StartupError"], message: String(err) } });
    return;
  }
  const started = performance.now();
  const request = JSON.stringify({ args, kwargs }, (key, value) => (value && value.$ref === "uk-now" ? ukNow() : value));
  const reply = JSON.parse(door.call(call, request));
  reply.id = id;
  reply.ms = Math.round((performance.now() - started) * 10) / 10;
  postMessage(reply);
  fetchForLater(1000);
});
