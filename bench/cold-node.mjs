// One cold start in a fresh Node process (bench/run.mjs starts one per sample): read the .wasm,
// compile it, instantiate it (with the glue), then the first call: one page of one conversation
// from the bench Graph, and a second call. Node's fetch initialises itself on first use, and its
// first Request with an AbortSignal and a timer costs more again, whoever makes them: the same
// request is first made that way twice, without the package (the second is timed: `rawRequest`),
// so the first call's extra over the second is the package's own first run (V8 compiling the code
// it runs, lazily). Prints one JSON line (ms).
// `cold-node.mjs GRAPH floor` measures the cold-start floor (bench/floor, built into
// target/floor/pkg by bench/floor/build.sh) the same way instead of the package.
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { FLOOR_DIR, importPackage, PKG_DIR } from "./lib/package.mjs";
import { fetchAsThePackageMust, onePageRequest } from "./lib/per-page-core.mjs";

const graph = JSON.parse(process.argv[2]);
const floor = process.argv[3] === "floor";
const wasmFile = floor ? path.join(FLOOR_DIR, "floor_bg.wasm") : path.join(PKG_DIR, "gen/page_conversations_bg.wasm");
const start = performance.now();
const glue = await (floor ? import(pathToFileURL(path.join(FLOOR_DIR, "floor.js")).href) : importPackage("gen/page_conversations.js"));
const glueLoaded = performance.now();

// Node's fetch, warmed up as the package uses it, and the time of the first call's request.
const { url, init, options } = onePageRequest(graph);
const asThePackageMust = () => fetchAsThePackageMust(url, init);
await asThePackageMust();
const rawStart = performance.now();
await asThePackageMust();
const raw = performance.now() - rawStart;

const t0 = performance.now();
const bytes = readFileSync(wasmFile);
const t1 = performance.now();
const module = new WebAssembly.Module(bytes);
const t2 = performance.now();
glue.initSync({ module });
const t3 = performance.now();
// The Node entry (already initialised), or the floor's one export.
const list = floor ? () => glue.list(url, graph.token) : (await importPackage()).listConversations.bind(null, options);
const t4 = performance.now();
const page = await list();
const t5 = performance.now();
if (page.data.length !== 1) throw new Error("first call: unexpected page");
await list();
const t6 = performance.now();

process.stdout.write(`${JSON.stringify({
  wasmBytes: bytes.length, glueImport: glueLoaded - start, read: t1 - t0, compile: t2 - t1, instantiate: t3 - t2,
  entryImport: t4 - t3, firstCall: t5 - t4, secondCall: t6 - t5, rawRequest: raw,
})}\n`);
