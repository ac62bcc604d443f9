// One Python start as the calculators' worker does it without a memory snapshot, under Node
// (run by bench/bench_bytecode.py): loadPyodide with the given standard library, the tools zip
// unpacked, tools.web imported, the bundle handed over, one deadline answered. Prints JSON timings (ms).
//
//   node bench/pyodide_start.mjs <node_modules/pyodide> <stdlib.zip> <tools.zip> <bundle.json>
import fs from "node:fs";
import { startPyodide } from "../macros/browser/pyodide_node.mjs";

const [pkg, stdlib, tools, bundle] = process.argv.slice(2);
const CALC_DIR = "/home/pyodide/calculator";
const t0 = performance.now();
const pyodide = await startPyodide(pkg, { stdLibURL: stdlib });
const python = performance.now() - t0;
pyodide.FS.mkdirTree(CALC_DIR);
pyodide.unpackArchive(new Uint8Array(fs.readFileSync(tools)), "zip", { extractDir: CALC_DIR });
pyodide.runPython(`import sys\nsys.path.insert(0, ${JSON.stringify(CALC_DIR)})\nimport tools.web`);
const imported = performance.now() - t0;
const door = pyodide.pyimport("tools.web");
door.set_bundle(fs.readFileSync(bundle, "utf8"));
const query = { area: "peterborough", event: "strategy-discussion", day: "23", month: "12", year: "2026",
                time: "16:45", today: "2026-11-23T10:00" };
const reply = JSON.parse(door.call("tools.web.deadline_form.calculate",
                                   JSON.stringify({ args: [{ $ref: "bundle" }, query], kwargs: {} })));
if (!reply.ok) throw new Error(JSON.stringify(reply));
console.log(JSON.stringify({ python, imported, answered: performance.now() - t0 }));
