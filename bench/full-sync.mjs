// `make bench`, full sync in Node: 10,000 conversations (100 pages of 100, nested messages
// included) with pacing off, through `paginateConversations`, against a raw JS loop making the
// same requests (fetch + res.json(), following `paging.cursors.after` while Graph gives a `next`).
// Alternating which goes first, `RUNS` times each, in this one process; then the wasm memory and
// the JS heap (after a full GC). Run with --expose-gc. Prints one JSON line.
import { importPackage } from "./lib/package.mjs";
import { FIELDS, LIMIT } from "./lib/per-page-core.mjs";

const { paginateConversations } = await importPackage();
const { initSync } = await importPackage("gen/page_conversations.js");

const graph = JSON.parse(process.argv[2]);
const RUNS = Number(process.env.BENCH_SYNC_RUNS ?? 3);
const TOTAL = 10_000;
const headers = { Authorization: `Bearer ${graph.token}` };

async function raw() {
  let count = 0;
  let requests = 0;
  let after = null;
  for (;;) {
    const query = new URLSearchParams({ fields: FIELDS, limit: String(LIMIT) });
    if (after !== null) query.set("after", after);
    const body = await (await fetch(`${graph.url}/v25.0/${graph.pageId}/conversations?${query}`, { headers })).json();
    requests += 1;
    count += Math.min(body.data.length, TOTAL - count);
    if (count >= TOTAL || !body.paging?.next) break;
    after = body.paging.cursors.after;
  }
  return { count, requests };
}

async function pkg() {
  let count = 0;
  let requests = 0;
  const pager = paginateConversations({
    baseUrl: graph.url, pageId: graph.pageId, accessToken: graph.token, fields: FIELDS, limit: LIMIT,
    requestsPerSecond: 0, maxItems: TOTAL,
  });
  for await (const page of pager.pages()) {
    requests += 1;
    count += page.data.length;
  }
  return { count, requests };
}

async function timed(run) {
  const start = performance.now();
  const { count, requests } = await run();
  if (count !== TOTAL) throw new Error(`full sync: ${count} conversations instead of ${TOTAL}`);
  return { ms: performance.now() - start, requests };
}

const heap = () => {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
};
const wasmMemory = () => initSync(undefined).memory.buffer.byteLength; // already initialised: returns the exports

const before = { heap: heap(), wasm: wasmMemory() };
// Warm-up: one of each (it also fills the Graph front's cache, so both then read from memory).
await raw();
await pkg();
const times = { raw: [], pkg: [] };
let requests = 0;
for (let run = 0; run < RUNS; run++) {
  const order = run % 2 === 0 ? ["raw", "pkg"] : ["pkg", "raw"];
  for (const name of order) {
    const result = await timed(name === "raw" ? raw : pkg);
    times[name].push(result.ms);
    requests = result.requests;
  }
}
const after = { heap: heap(), wasm: wasmMemory() };
process.stdout.write(`${JSON.stringify({ times, requests, conversations: TOTAL, before, after })}\n`);
