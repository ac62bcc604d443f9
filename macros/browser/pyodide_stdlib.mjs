// List the standard library files the calculators load (run by macros/browser/stdlib.py).
//
//   node macros/browser/pyodide_stdlib.mjs <node_modules/pyodide> <tools.zip> <bundle.json> <out.json>
//
// Starts Pyodide with its full python_stdlib.zip exactly as the worker does without a memory
// snapshot (docs/javascripts/calculator/worker.mjs: same lock info, unpackArchive of the tools
// zip), imports every tools module (tools.web.warm_up), loads the bundle and makes the calls
// the pages make (both calculators, their error paths, the .ics file), then writes the zip
// entries of every module Python loaded from the library: the trimmed library is made of
// exactly those (tests/pyodide runs every tools/ test against it).
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const CALC_DIR = "/home/pyodide/calculator";
const [pkg, zipPath, bundlePath, outPath] = process.argv.slice(2);
if (!pkg || !zipPath || !bundlePath || !outPath) {
  console.error("usage: node pyodide_stdlib.mjs <pyodide dir> <tools.zip> <bundle.json> <out.json>");
  process.exit(2);
}
const { loadPyodide } = await import(pathToFileURL(path.join(pkg, "pyodide.mjs")).href);
const lock = JSON.parse(fs.readFileSync(path.join(pkg, "pyodide-lock.json"), "utf8"));
const pyodide = await loadPyodide({
  indexURL: pkg + "/",
  lockFileContents: { info: lock.info, packages: {} },
  packageBaseUrl: pkg + "/",
  env: { HOME: "/home/pyodide" },
});
pyodide.FS.mkdirTree(CALC_DIR);
pyodide.unpackArchive(new Uint8Array(fs.readFileSync(zipPath)), "zip", { extractDir: CALC_DIR });
pyodide.globals.set("bundle_text", fs.readFileSync(bundlePath, "utf8"));
let files;
try {
  files = pyodide.runPython(`
import json, sys
sys.path.insert(0, ${JSON.stringify(CALC_DIR)})
import tools.web
tools.web.warm_up()
tools.web.set_bundle(bundle_text)
bundle = tools.web.bundle()
B = {"$ref": "bundle"}

def call(name, *args, **kwargs):
    reply = json.loads(tools.web.call(name, json.dumps({"args": list(args), "kwargs": kwargs})))
    assert "ok" in reply, reply

# Every area and event through the deadline form, the timeline and the .ics file; every area's
# threshold check with all its flags and indicators; and the error paths (unknown names, bad dates).
for area in list(bundle.get("areas", {})) + ["atlantis"]:
    call("tools.deadlines.list_events", B, area)
    events = json.loads(tools.web.call("tools.deadlines.list_events", json.dumps({"args": [B, area]})))
    for event in [e["id"] for e in (events.get("result") or [])][:40] + ["nothing"]:
        for day, time in (("23", "16:45"), ("31", ""), ("x", "25:99")):
            q = {"area": area, "event": event, "day": day, "month": "12", "year": "2026", "time": time,
                 "today": "2026-11-23T10:00"}
            call("tools.web.deadline_form.calculate", B, q)
            call("tools.web.deadline_form.ics", B, q)
        entries = [{"event": event, "day": "2", "month": "10", "year": "2026", "time": "10:00"}]
        call("tools.web.deadline_form.timeline", B, {"area": area, "entries": entries, "today": "2026-11-23T10:00"})
    items = json.loads(tools.web.call("tools.thresholds.list_items", json.dumps({"args": [B, area]})))
    result = items.get("result") or {}
    flags = [f["id"] for f in result.get("flags", []) if isinstance(f, dict) and "id" in f]
    indicators = [i["id"] for i in result.get("indicators", []) if isinstance(i, dict) and "id" in i]
    call("tools.thresholds.check", B, area, indicators=indicators, flags=flags)
    call("tools.thresholds.check", B, area, indicators=["no-such-indicator"], flags=[])
    call("tools.thresholds.source_documents", B, area)

prefix = "/lib/python%d%d.zip/" % sys.version_info[:2]
json.dumps(sorted({m.__file__[len(prefix):] for m in list(sys.modules.values())
                   if (getattr(m, "__file__", None) or "").startswith(prefix)}))
`);
} catch (err) {
  console.error(err && err.message ? err.message : String(err));   // the traceback, not minified source
  process.exit(1);
}
fs.writeFileSync(outPath, files);
console.log(`standard library: ${JSON.parse(files).length} files loaded`);
