// One Node process run of the per-page benchmark: `node bench/node-per-page.mjs '<graph JSON>'`
// prints `{ raw: [ms…], rawLikePackage: [ms…], pkg: [ms…], cleaning: { clean, none } }`
// (see lib/per-page-core.mjs). The Graph runs in another process (lib/graph-server.mjs).
import { importPackage } from "./lib/package.mjs";
import { cleaningCost, interleave, pageRequests } from "./lib/per-page-core.mjs";

const { listConversations } = await importPackage();
const { cleanLinks } = await importPackage("json.js");

const graph = JSON.parse(process.argv[2]);
const pairs = Number(process.env.BENCH_PAIRS ?? 150);
const warmup = Number(process.env.BENCH_WARMUP ?? 40);
const result = await interleave(pageRequests(graph, { tokenIn: "header", listConversations }), { pairs, warmup });
const cleaning = await cleaningCost(graph, { tokenIn: "header", cleanLinks });
process.stdout.write(`${JSON.stringify({ ...result, cleaning })}\n`);
