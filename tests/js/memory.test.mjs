// Memory while paging 10,000 conversations in Node, through the built package: the wasm linear
// memory (WebAssembly.Memory) and the externref table (JS values held by wasm) stay bounded, and
// a second identical run, and hundreds of failing calls and aborts, grow neither.
//
// The memory is reached through the wasm-bindgen glue: the package's Node entry initialises
// pkg/gen/page_conversations.js, and calling its `initSync()` again returns the same instance's
// exports (`memory`, `__wbindgen_externrefs`). The package exports nothing for this.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { listConversations, paginateConversations } from "page-conversations";

import { initSync } from "../../pkg/gen/page_conversations.js";
import { MOCK_PAGE_ID, startMockGraph } from "../graph-mock/server.mjs";
import { TOKEN, runId } from "./helpers.mjs";

const SIZE = 10_000;
const SEED = 4242;
const MiB = 1024 * 1024;
const FIELDS = "id,updated_time,link,snippet,message_count,unread_count,can_reply,is_subscribed,folder";
let mock;
const wasm = initSync();

before(async () => {
  mock = await startMockGraph({ port: 0, conversations: 10 });
});
after(async () => { await mock?.close(); });

/** The wasm memory in bytes, the externref table's length and Node's heap. */
function snapshot() {
  globalThis.gc?.();
  return {
    wasmBytes: wasm.memory.buffer.byteLength,
    externrefs: wasm.__wbindgen_externrefs.length,
    heapUsed: process.memoryUsage().heapUsed,
    rss: process.memoryUsage().rss,
  };
}

/** Pages through the 10,000-conversation world; returns the count and the largest memory seen. */
async function pageAll() {
  const pager = paginateConversations({
    pageId: MOCK_PAGE_ID, accessToken: TOKEN, baseUrl: `${mock.url}/_/id=${runId("mem")};random=${SEED};size=${SIZE};emptyrate=0`,
    limit: 100, fields: FIELDS, requestsPerSecond: 0,
  });
  let count = 0;
  let peak = 0;
  let last = null;
  for await (const conversation of pager) {
    count += 1;
    assert.ok(last === null || conversation.updated_time <= last, "newest first");
    last = conversation.updated_time;
    peak = Math.max(peak, wasm.memory.buffer.byteLength);
  }
  return { count, peak };
}

test("the package's wasm instance is the one measured", () => {
  assert.ok(wasm.memory instanceof WebAssembly.Memory);
  assert.ok(wasm.__wbindgen_externrefs instanceof WebAssembly.Table);
});

test(`paging ${SIZE.toLocaleString("en")} conversations keeps wasm memory bounded`, async (t) => {
  // Warm up: one page, so one-time allocations are not counted.
  await listConversations({ pageId: MOCK_PAGE_ID, accessToken: TOKEN, baseUrl: `${mock.url}/_/random=${SEED};size=${SIZE}`, limit: 100, fields: FIELDS });
  const before = snapshot();
  const started = performance.now();
  const first = await pageAll();
  const firstMs = performance.now() - started;
  const middle = snapshot();
  const second = await pageAll();
  const end = snapshot();
  assert.equal(first.count, SIZE);
  assert.equal(second.count, SIZE);

  const growth = middle.wasmBytes - before.wasmBytes;
  t.diagnostic(`wasm memory: ${(before.wasmBytes / MiB).toFixed(2)} MiB before, ${(middle.wasmBytes / MiB).toFixed(2)} MiB after ${SIZE} conversations (peak ${(first.peak / MiB).toFixed(2)} MiB, growth ${(growth / 1024).toFixed(0)} KiB), ${(end.wasmBytes / MiB).toFixed(2)} MiB after a second run; in ${(firstMs / 1000).toFixed(1)} s`);
  t.diagnostic(`externref table: ${before.externrefs} → ${middle.externrefs} → ${end.externrefs} slots; Node heapUsed ${(before.heapUsed / MiB).toFixed(1)} → ${(middle.heapUsed / MiB).toFixed(1)} → ${(end.heapUsed / MiB).toFixed(1)} MiB, rss ${(before.rss / MiB).toFixed(0)} → ${(end.rss / MiB).toFixed(0)} MiB`);
  assert.ok(growth < 4 * MiB, `wasm memory grew by ${growth} bytes`);
  assert.equal(end.wasmBytes, middle.wasmBytes, "a second run of the same size grows nothing");
  assert.ok(end.externrefs - before.externrefs <= 128, `externref table grew from ${before.externrefs} to ${end.externrefs}`);
});

/** Live externref slots (wasm-bindgen sets a freed slot to null). */
function liveExternrefs() {
  const table = wasm.__wbindgen_externrefs;
  let live = 0;
  for (let i = 0; i < table.length; i += 1) if (table.get(i) !== null) live += 1;
  return live;
}

/** Runs `call(i)` `count` times, 15 at a time, each settling (errors swallowed). */
async function many(count, call) {
  for (let i = 0; i < count; i += 15) {
    await Promise.all(Array.from({ length: Math.min(15, count - i) }, (_, j) => Promise.resolve(call(i + j)).catch((err) => err)));
  }
}

const common = (spec) => ({ pageId: MOCK_PAGE_ID, accessToken: TOKEN, baseUrl: `${mock.url}/_/${spec}`, maxRetries: 0, limit: 5 });

test("hundreds of failing calls and aborts hold no memory or JS value afterwards", async (t) => {
  const specs = ["error=190;echo=1", "error=2", "reset=1", "error=613;eta=0.001", "repeat=1", "error=100;env200=1"];
  const call = (i) => {
    const spec = specs[i % specs.length];
    if (i % 9 === 0) {
      const controller = new AbortController();
      const promise = listConversations({ ...common("slow=1000"), signal: controller.signal });
      setTimeout(() => controller.abort(i % 2 ? `reason ${i}` : { i }), 5);
      return promise;
    }
    if (i % 11 === 0) return listConversations({ ...common("slow=1000"), timeoutMs: 5 });
    if (i % 13 === 0) return listConversations({ ...common(""), limit: 0 });
    if (spec === "repeat=1") return paginateConversations({ ...common(spec), requestsPerSecond: 0 }).toArray({ limit: 100 });
    return listConversations(common(spec));
  };
  await many(200, call);
  const before = { ...snapshot(), live: liveExternrefs() };
  await many(420, call);
  const end = { ...snapshot(), live: liveExternrefs() };
  t.diagnostic(`420 failing calls: wasm memory ${before.wasmBytes} → ${end.wasmBytes} bytes, live externref slots ${before.live} → ${end.live}`);
  assert.equal(end.wasmBytes, before.wasmBytes);
  assert.equal(end.live, before.live, "every JS value the calls gave wasm was released");
});

// A throwing import called from wasm leaks one externref slot per call, so JSON.parse goes
// through pkg/json.js, which returns undefined instead: a Worker that sees HTML error pages,
// truncated bodies or unparsable usage headers must not grow.
test("non-JSON bodies and unparsable usage headers hold no JS value afterwards", async (t) => {
  const leaks = {};
  for (const spec of ["html=502", "truncate=1", "badusage=1"]) {
    await many(15, () => listConversations(common(spec)));
    const before = liveExternrefs();
    await many(200, () => listConversations(common(spec)));
    leaks[spec] = liveExternrefs() - before;
  }
  t.diagnostic(`live externref slots gained per 200 calls: ${JSON.stringify(leaks)}`);
  assert.deepEqual(leaks, { "html=502": 0, "truncate=1": 0, "badusage=1": 0 });
});
