// The fleet gate in real workerd (Miniflare, offline): four Worker scripts (four isolates) bound to
// one ConversationsGate class with SQLite storage, against the mock Graph, which logs when each
// request arrives. Graph must see at most 2 requests per second per Page from all isolates
// together, identical reads once, nothing during a rate limit's backoff (which survives a restart),
// nothing for callers who left, Pages independent, messages with pageId in their Page's budget,
// no token in the object's storage, and a loud fall back to pacing in the isolate when the object
// cannot be used.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";

import { Miniflare } from "miniflare";

import { MOCK_PAGE_ID, expectedIds, requestsOf, runId, useMock } from "./helpers.mjs";
import { bundleLikeWrangler } from "./worker-bundle.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const ctx = useMock();
const TOKEN = "EAAGateTok3nNeverStored0123456789";
const ISOLATES = 4;
/** The gate's interval at 2 per second is 515 ms; arrivals may be a little closer (the first
 * request of a connection takes longer to arrive than the next), as in contract.test.mjs. */
const MIN_GAP = 450;
let outDir;
let bundle;
let persist;
let fleet;

let pageCounter = 0;
/** A Page id no other test gates (the random world serves any Page). */
const freshPageId = () => `6${String(process.pid).padStart(7, "0")}${String((pageCounter += 1)).padStart(6, "0")}`;
/** A random-world scenario of its own run. */
const world = (id, extra = "") => `id=${id};random=303;size=60;emptyrate=0${extra ? `;${extra}` : ""}`;

/** Starts the four isolates (the first hosts the class), with storage kept in `persist`. */
async function startFleet() {
  const workers = Array.from({ length: ISOLATES }, (_, index) => ({
    name: `isolate-${index}`,
    modules: true, scriptPath: bundle, modulesRoot: outDir,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: "2025-01-01",
    bindings: { MOCK_URL: ctx.mock.url, TOKEN },
    durableObjects: {
      CONVERSATIONS_GATE: index === 0
        ? { className: "ConversationsGate", useSQLite: true }
        : { className: "ConversationsGate", scriptName: "isolate-0", useSQLite: true },
    },
  }));
  const mf = new Miniflare({ host: "127.0.0.1", cf: false, durableObjectsPersist: persist, workers });
  await mf.ready;
  const isolates = await Promise.all(workers.map((worker) => mf.getWorker(worker.name)));
  return {
    /** GETs `route` of isolate `index`; resolves to its JSON. */
    call: async (index, route, params) => {
      const res = await isolates[index].fetch(`http://worker.test${route}?${new URLSearchParams(params)}`);
      return res.json();
    },
    dispose: () => mf.dispose(),
  };
}

/** Arrival times of a run's Graph requests, in order. */
async function arrivals(id) {
  return (await requestsOf(ctx.mock, id)).map((entry) => entry.at).sort((a, b) => a - b);
}

/** Gaps between consecutive times. */
const gaps = (times) => times.slice(1).map((time, index) => time - times[index]);

before(async () => {
  outDir = mkdtempSync(path.join(os.tmpdir(), "page-conversations-gate-"));
  persist = path.join(outDir, "storage");
  bundle = await bundleLikeWrangler({ entry: path.join(here, "gate", "worker.mjs"), outDir });
  fleet = await startFleet();
});

after(async () => {
  await fleet?.dispose();
  rmSync(outDir, { recursive: true, force: true });
});

describe("the fleet gate", () => {
  test("pace: 4 isolates x 3 distinct reads of one Page reach Graph at most 2 per second", async (t) => {
    const id = runId("gate-pace");
    const pageId = freshPageId();
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: ISOLATES * 3 }, (_, n) =>
      fleet.call(n % ISOLATES, "/list", { pageId, spec: world(id), limit: String(n + 1) })));
    assert.ok(results.every((result) => result.ok), JSON.stringify(results.find((result) => !result.ok)));
    const times = await arrivals(id);
    assert.equal(times.length, 12, "each distinct read once");
    assert.ok(gaps(times).every((gap) => gap >= MIN_GAP), `gaps ${gaps(times)}`);
    const rate = (times.length - 1) / ((times.at(-1) - times[0]) / 1000);
    assert.ok(rate <= 2, `Graph saw ${rate.toFixed(2)} requests per second`);
    t.diagnostic(`through the gate: ${rate.toFixed(2)} requests/s seen by Graph over ${times.length} requests (${Date.now() - started} ms)`);

    // The same reads paced in each isolate alone (requestsPerSecond 2, no gate): Graph sees the
    // isolates' rates added up. This is what the gate is for.
    const alone = runId("gate-pace-alone");
    const alonePage = freshPageId();
    const ungated = await Promise.all(Array.from({ length: ISOLATES * 3 }, (_, n) =>
      fleet.call(n % ISOLATES, "/list", { pageId: alonePage, spec: world(alone), limit: String(n + 1), rps: "2", nogate: "1" })));
    assert.ok(ungated.every((result) => result.ok));
    const aloneTimes = await arrivals(alone);
    const aloneRate = (aloneTimes.length - 1) / ((aloneTimes.at(-1) - aloneTimes[0]) / 1000);
    assert.ok(aloneRate > 2, `paced per isolate, Graph saw ${aloneRate.toFixed(2)} requests/s`);
    t.diagnostic(`paced in each isolate alone: ${aloneRate.toFixed(2)} requests/s seen by Graph`);
  });

  test("coalesce: identical reads from every isolate reach Graph once, and every caller gets the page", async () => {
    const id = runId("gate-same");
    const pageId = freshPageId();
    const results = await Promise.all(Array.from({ length: ISOLATES * 3 }, (_, n) =>
      fleet.call(n % ISOLATES, "/list", { pageId, spec: world(id, "slow=400"), limit: "5" })));
    assert.ok(results.every((result) => result.ok));
    const [first] = results;
    for (const result of results) assert.deepEqual(result.ids, first.ids);
    assert.ok(first.ids.length > 0);
    assert.equal((await arrivals(id)).length, 1, "sent to Graph once");
  });

  test("coalesce: every caller of a failing identical read gets the same typed error", async () => {
    const id = runId("gate-same-error");
    const pageId = freshPageId();
    const results = await Promise.all(Array.from({ length: ISOLATES * 2 }, (_, n) =>
      fleet.call(n % ISOLATES, "/list", { pageId, spec: world(id, "slow=400;error=190"), limit: "5" })));
    for (const result of results) {
      assert.equal(result.ok, false);
      assert.equal(result.name, "AuthError");
      assert.equal(result.message, results[0].message);
      assert.ok(!result.message.includes(TOKEN));
    }
    assert.equal((await arrivals(id)).length, 1);
  });

  test("back off together: a 3-second rate limit makes the other isolates wait, then succeed", async () => {
    const id = runId("gate-short");
    const pageId = freshPageId();
    const limited = await fleet.call(0, "/list", { pageId, spec: world(id, "error=32;times=1;eta=0.05") });
    assert.equal(limited.name, "RateLimitError");
    const started = Date.now();
    const others = await Promise.all([1, 2, 3].map((index) =>
      fleet.call(index, "/list", { pageId, spec: world(id), limit: String(index) })));
    assert.ok(others.every((result) => result.ok), JSON.stringify(others));
    const times = await arrivals(id);
    assert.equal(times.length, 4);
    assert.ok(times[1] - times[0] >= 2900, `the next request came ${times[1] - times[0]} ms after the rate limit`);
    assert.ok(Date.now() - started >= 2500);
  });

  test("back off together: a 2-minute rate limit refuses the other isolates at once, even after a restart; the storage holds no token", async () => {
    const id = runId("gate-long");
    const pageId = freshPageId();
    const limited = await fleet.call(0, "/list", { pageId, spec: world(id, "error=32;times=1;eta=2") });
    assert.equal(limited.name, "RateLimitError");
    const check = async (label) => {
      const started = Date.now();
      const refused = await Promise.all([1, 2, 3].map((index) => fleet.call(index, "/list", { pageId, spec: world(id) })));
      for (const result of refused) {
        assert.equal(result.name, "RateLimitError", `${label}: ${JSON.stringify(result)}`);
        assert.ok(result.retryAfterMs > 60_000 && result.retryAfterMs <= 120_000, `${label}: retryAfterMs ${result.retryAfterMs}`);
      }
      assert.ok(Date.now() - started < 2000, `${label}: refused at once`);
    };
    await check("before the restart");
    await fleet.dispose();
    fleet = await startFleet();
    await check("after the restart");
    assert.equal((await arrivals(id)).length, 1, "Graph saw nothing after the rate limit");
    // The object's storage (SQLite files) holds times and counts, never the token.
    const files = [];
    const walk = (dir) => {
      for (const name of readdirSync(dir)) {
        const file = path.join(dir, name);
        if (statSync(file).isDirectory()) walk(file);
        else files.push(file);
      }
    };
    walk(persist);
    assert.ok(files.length > 0, "the object stored something");
    for (const file of files) {
      const bytes = readFileSync(file);
      assert.ok(!bytes.includes(TOKEN) && !bytes.includes(encodeURIComponent(TOKEN)), `${file} holds the token`);
    }
  });

  test("let go: callers aborted while waiting send nothing, and later callers do not wait for them", async () => {
    const id = runId("gate-leave");
    const pageId = freshPageId();
    // One request every 2 s: the first takes the turn now; the next ones would wait.
    assert.ok((await fleet.call(0, "/list", { pageId, spec: world(id), rps: "0.5" })).ok);
    const started = Date.now();
    const left = await Promise.all(Array.from({ length: 9 }, (_, n) =>
      fleet.call(1 + (n % 3), "/list", { pageId, spec: world(id), rps: "0.5", limit: String(n + 2), abortMs: "300" })));
    assert.ok(left.every((result) => !result.ok && result.name === "TimeoutError"), JSON.stringify(left[0]));
    const later = await fleet.call(2, "/list", { pageId, spec: world(id), rps: "0.5", limit: "20" });
    assert.ok(later.ok);
    assert.ok(Date.now() - started < 4000, `the later caller waited ${Date.now() - started} ms (nine left turns would be 18 s)`);
    assert.equal((await arrivals(id)).length, 2, "nothing was sent for the callers who left");
  });

  test("two Pages do not slow each other; a Page's messages (with pageId) share its budget", async () => {
    const id = runId("gate-pages");
    const [a, b] = [freshPageId(), freshPageId()];
    const started = Date.now();
    const both = await Promise.all([a, b].flatMap((pageId) => [1, 2, 3].map((n) =>
      fleet.call(n, "/list", { pageId, spec: world(id), limit: String(n) }))));
    assert.ok(both.every((result) => result.ok));
    assert.ok(Date.now() - started < 2000, `${Date.now() - started} ms: 3 requests per Page at 2/s take ~1 s, not 2.5 s`);

    const messages = runId("gate-messages");
    const threads = expectedIds(ctx.mock).slice(0, 2);
    const calls = [
      fleet.call(0, "/list", { pageId: MOCK_PAGE_ID, spec: `id=${messages}` }),
      fleet.call(1, "/list", { pageId: MOCK_PAGE_ID, spec: `id=${messages}`, limit: "3" }),
      ...threads.map((conversationId, n) => fleet.call(2 + n, "/messages", { pageId: MOCK_PAGE_ID, conversationId, spec: `id=${messages}` })),
    ];
    const results = await Promise.all(calls);
    assert.ok(results.every((result) => result.ok), JSON.stringify(results));
    const times = await arrivals(messages);
    assert.equal(times.length, 4);
    assert.ok(gaps(times).every((gap) => gap >= MIN_GAP), `conversations and messages of one Page: gaps ${gaps(times)}`);
  });

  test("degrade loudly: a gate that cannot be reached or is overloaded falls back to pacing in the isolate, with one warning per isolate", async () => {
    const id = runId("gate-degraded");
    const pageId = freshPageId();
    const unreachable = await fleet.call(3, "/degraded", { mode: "unreachable", pageId, spec: world(id), n: "3" });
    assert.ok(unreachable.results.every((result) => result.ok), JSON.stringify(unreachable.results));
    const overloaded = await fleet.call(3, "/degraded", { mode: "overloaded", pageId, spec: world(id), n: "2" });
    assert.ok(overloaded.results.every((result) => result.ok));
    const gateWarnings = overloaded.warnings.filter((warning) => warning.includes("fleet gate"));
    assert.equal(gateWarnings.length, 1, `one warning per isolate: ${JSON.stringify(overloaded.warnings)}`);
    assert.ok(!gateWarnings[0].includes(TOKEN));
    const times = await arrivals(id);
    assert.equal(times.length, 5);
    assert.ok(gaps(times).every((gap) => gap >= MIN_GAP), `paced in the isolate: gaps ${gaps(times)}`);
  });
});
