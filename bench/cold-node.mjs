// One cold start of the package in a fresh Node process (bench/run.mjs starts one per sample):
// read the .wasm, compile it, instantiate it (with the glue), then the first call: one page of
// one conversation from the bench Graph. The first call includes its request's round trip, so
// the same request is also timed raw (fetch + res.json(), after a warm-up fetch: Node's fetch
// initialises itself on first use, which is not the package's cost). Prints one JSON line (ms).
import { readFileSync } from "node:fs";
import path from "node:path";

import { importPackage, PKG_DIR } from "./lib/package.mjs";

const graph = JSON.parse(process.argv[2]);
const start = performance.now();
const glue = await importPackage("gen/page_conversations.js");
const glueLoaded = performance.now();

// Node's fetch, warmed up, and the raw time of the first call's request.
const options = { baseUrl: graph.url, pageId: graph.pageId, accessToken: graph.token, limit: 1, fields: "id,updated_time" };
const url = `${graph.url}/v25.0/${graph.pageId}/conversations?fields=id%2Cupdated_time&limit=1`;
const init = { headers: { Authorization: `Bearer ${graph.token}` } };
await (await fetch(url, init)).json();
const rawStart = performance.now();
await (await fetch(url, init)).json();
const raw = performance.now() - rawStart;

const t0 = performance.now();
const bytes = readFileSync(path.join(PKG_DIR, "gen/page_conversations_bg.wasm"));
const t1 = performance.now();
const module = new WebAssembly.Module(bytes);
const t2 = performance.now();
glue.initSync({ module });
const t3 = performance.now();
const { listConversations } = await importPackage(); // the Node entry: already initialised
const t4 = performance.now();
const page = await listConversations(options);
const t5 = performance.now();
if (page.data.length !== 1) throw new Error("first call: unexpected page");
await listConversations(options);
const t6 = performance.now();

process.stdout.write(`${JSON.stringify({
  glueImport: glueLoaded - start, read: t1 - t0, compile: t2 - t1, instantiate: t3 - t2, entryImport: t4 - t3,
  firstCall: t5 - t4, secondCall: t6 - t5, rawRequest: raw,
})}\n`);
