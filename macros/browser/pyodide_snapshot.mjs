// Make the Pyodide memory snapshot the calculators' worker restores (run by macros/browser/pyodide_assets.py).
//
//   node macros/browser/pyodide_snapshot.mjs <node_modules/pyodide> <tools.zip> <out.bin> [stdlib.zip]
//
// Starts Pyodide exactly as the worker does (same lock info, no packages), unpacks the
// tools zip where the worker unpacks it, imports every tools module (tools.web.warm_up),
// then writes the raw memory snapshot. The worker (docs/javascripts/calculator/worker.mjs)
// must keep CALC_DIR and the loadPyodide options in step with this file.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const CALC_DIR = "/home/pyodide/calculator";
const [pkg, zipPath, outPath, stdlibPath] = process.argv.slice(2);
if (!pkg || !zipPath || !outPath) {
  console.error("usage: node pyodide_snapshot.mjs <pyodide dir> <tools.zip> <out.bin>");
  process.exit(2);
}
const { loadPyodide } = await import(pathToFileURL(path.join(pkg, "pyodide.mjs")).href);
const lock = JSON.parse(fs.readFileSync(path.join(pkg, "pyodide-lock.json"), "utf8"));
const pyodide = await loadPyodide({
  indexURL: pkg + "/",
  lockFileContents: { info: lock.info, packages: {} },
  packageBaseUrl: pkg + "/",
  env: { HOME: "/home/pyodide" },
  ...(stdlibPath ? { stdLibURL: stdlibPath } : {}),   // the trimmed library the worker loads
  _makeSnapshot: true,
});
pyodide.FS.mkdirTree(CALC_DIR);
pyodide.unpackArchive(new Uint8Array(fs.readFileSync(zipPath)), "zip", { extractDir: CALC_DIR });
pyodide.runPython(`
import os, sys
sys.path.insert(0, ${JSON.stringify(CALC_DIR)})
import tools.web
tools.web.warm_up()
import _strptime, calendar         # strptime's lazy imports: in the snapshot, not after it
os.environ.pop("_", None)          # the Node script's path: not for the browser
`);
const snapshot = pyodide.makeMemorySnapshot();
fs.writeFileSync(outPath, snapshot);
console.log(`snapshot: ${snapshot.length} bytes`);
