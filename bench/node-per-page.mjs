// One Node process run of the per-page benchmark: `node bench/node-per-page.mjs '<graph JSON>'`
// prints `{ raw: [ms…], rawLikePackage: [ms…], pkg: [ms…], cleaning: { clean, none }, fixed: { rawLikePackage, pkg, floor } }`
// (see lib/per-page-core.mjs). The Graph runs in another process (lib/graph-server.mjs).
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { FLOOR_DIR, importPackage } from "./lib/package.mjs";
import { cleaningCost, fixedCost, interleave, pageRequests } from "./lib/per-page-core.mjs";

const { listConversations } = await importPackage();
const { cleanLinks } = await importPackage("json.js");
const floor = await import(pathToFileURL(path.join(FLOOR_DIR, "floor.js")).href);
floor.initSync({ module: new WebAssembly.Module(readFileSync(path.join(FLOOR_DIR, "floor_bg.wasm"))) });

const graph = JSON.parse(process.argv[2]);
const pairs = Number(process.env.BENCH_PAIRS ?? 150);
const warmup = Number(process.env.BENCH_WARMUP ?? 40);
const result = await interleave(pageRequests(graph, { tokenIn: "header", listConversations }), { pairs, warmup });
const cleaning = await cleaningCost(graph, { tokenIn: "header", cleanLinks });
const fixed = await fixedCost(graph, { listConversations, floorList: floor.list, pairs, warmup });
process.stdout.write(`${JSON.stringify({ ...result, cleaning, fixed })}\n`);
