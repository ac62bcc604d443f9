// The page's side of the calculators' runtime: one module Web Worker per page (kept across
// Material's instant navigation), a promise API and a status feed.
//
//   import { runtime, BUNDLE } from "./client.mjs";
//   const rt = runtime();                       // starts loading Python (once)
//   rt.onStatus((s) => ...);                    // {state: "loading"|"ready"|"error", percent, message}
//   const answer = await rt.call("tools.web.deadline_form.calculate", [BUNDLE, query]);
//   // rejects with an Error whose .type/.types/.message come from the Python exception
//
// Nothing typed in a form is stored or sent anywhere: calls go to the worker, in this tab.
export const BUNDLE = Object.freeze({ $ref: "bundle" });
// Stands for the UK clock time ("YYYY-MM-DDTHH:MM") when the worker gets the call: the worker
// reads the clock, because a page's first Intl.DateTimeFormat costs it 11-60 ms (locale data).
export const UK_NOW = Object.freeze({ $ref: "uk-now" });

const WORKER_URL = new URL("./worker.mjs", import.meta.url);
let instance = null;

export class CalculatorError extends Error {
  constructor(error) {
    super(error.message);
    this.name = error.type || "Error";
    this.type = error.type;
    this.types = error.types || [];
  }
}

class Runtime {
  constructor(options = {}) {
    const url = new URL(WORKER_URL);
    if (options.snapshot !== undefined) url.searchParams.set("snapshot", options.snapshot ? "1" : "0");
    this.worker = new Worker(url, { type: "module", name: "calculator" });
    this.pending = new Map();
    this.listeners = new Set();
    this.nextId = 1;
    this.status = { state: "loading", percent: 0, message: "" };
    this.worker.addEventListener("message", (event) => this.receive(event.data));
    this.worker.addEventListener("error", (event) => {
      this.setStatus({ state: "error", percent: 0, message: event.message || "the worker could not start" });
    });
  }

  setStatus(status) {
    this.status = status;
    if (status.state === "error") {
      // Nothing will answer: fail every waiting call so the page can say so.
      for (const [, entry] of this.pending) {
        entry.reject(new CalculatorError({ type: "StartupError", message: status.message || "the calculator could not start" }));
      }
      this.pending.clear();
    }
    if (status.state === "ready" && !this.readyMark) {
      this.readyMark = true;
      // The worker's own start-up timings (ms since the worker started) ride along for the benchmark.
      performance.mark("calculator:ready", { detail: { ...status.timings, snapshot: status.snapshot } });
    }
    for (const listener of this.listeners) listener(status);
  }

  receive(data) {
    if (data && data.type === "status") {
      this.setStatus(data);
      return;
    }
    const entry = this.pending.get(data.id);
    if (!entry) return;
    this.pending.delete(data.id);
    if (data.ok) entry.resolve(data.result);
    else entry.reject(new CalculatorError(data.error));
  }

  onStatus(listener) {
    this.listeners.add(listener);
    listener(this.status);
    return () => this.listeners.delete(listener);
  }

  // Call a Python function by its dotted name; resolves with its (JSON) result.
  call(name, args = [], kwargs = {}) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, call: name, args, kwargs });
    });
  }
}

export function runtime(options = {}) {
  // For the benchmarks' comparisons only: ?calculator-snapshot=0 or =1 forces the memory snapshot off or on
  // (otherwise the worker uses it when it is already cached: see worker.mjs).
  const forced = new URLSearchParams(location.search).get("calculator-snapshot");
  if (forced === "0" || forced === "1") options = { ...options, snapshot: forced === "1" };
  if (!instance) instance = new Runtime(options);
  return instance;
}

// The calculators' own main-thread work, as a User Timing measure (bench/bench_load.py counts it
// into the long tasks it overlaps). Needed because init runs from Material's document$, inside
// Material's DOMContentLoaded listener: long-animation-frame entries name only that entry script.
export function timed(name, fn) {
  const start = performance.now();
  try {
    return fn();
  } finally {
    performance.measure(name, { start });
  }
}

// "Loading the calculator... 42%" / "Ready" in a role=status element.
export function statusText(status) {
  if (status.state === "ready") return "Ready";
  if (status.state === "error") {
    return "Sorry, the calculator could not start in this browser. Use the timescale tables on this page.";
  }
  return `Loading the calculator\u2026 ${status.percent || 0}%`;
}
