// Isolation in workerd: 200 mixed requests through ONE Worker instance (its /instance id never
// changes), 10 at a time: pages, every error class, aborts with non-Error reasons (strings,
// numbers, undefined, null, objects, symbols, Errors), timeouts, refused options, pager runs
// (random worlds, seeded faults, an auth error mid-run, a repeated cursor). Then the same
// instance still serves a whole listing correctly, page by page.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { mulberry32 } from "../graph-mock/inbox.mjs";
import { startMockGraph } from "../graph-mock/server.mjs";
import { badOptionCases, badOptionProblems } from "./bad-options.js";
import { closedPort, expectedIds, runId } from "./helpers.mjs";
import { startWorker } from "./worker-harness.mjs";

const WORKER_TOKEN = "EAAIsolationTok3n0123456789";
const TOTAL = 200;
const CONCURRENCY = 10;
let mock;
let worker;

before(async () => {
  mock = await startMockGraph({ port: 0, conversations: 80 });
  worker = await startWorker({ MOCK_URL: mock.url, CLOSED_URL: `http://127.0.0.1:${await closedPort()}`, TOKEN: WORKER_TOKEN });
});
after(async () => {
  await worker?.dispose();
  await mock?.close();
});

const ERRORS = [
  ["error=190.463", "AuthError"], ["error=102", "AuthError"], ["error=10", "PermissionError"],
  ["error=230", "PermissionError"], ["error=613", "RateLimitError"], ["error=80006;eta=0.005", "RateLimitError"],
  ["error=100", "InvalidRequestError"], ["error=2500", "InvalidRequestError"], ["error=368", "PolicyBlockError"],
  ["error=9999", "GraphApiError"], ["error=2", "GraphApiError"], ["html=502", "InvalidResponseError"],
  ["truncate=1", "InvalidResponseError"], ["reset=1", "NetworkError"],
];
const REASONS = ["string", "number", "undefined", "null", "object", "error", "symbol"];
const BAD_LABELS = badOptionCases({ baseUrl: "http://127.0.0.1", accessToken: WORKER_TOKEN }).map((c) => c.label);

/** The kinds of request, each a function of a PRNG returning `{kind, run: async () => void}` that asserts its answer. */
const KINDS = [
  ["page", (r) => async () => {
    const limit = 1 + Math.floor(r() * 10);
    const id = runId("iso-page");
    const { body } = await worker.get("/page", { spec: `id=${id}`, limit: String(limit) });
    assert.deepEqual(body.page.data.map((c) => c.id), expectedIds(mock).slice(0, limit));
    if (limit < 20) {
      const { body: next } = await worker.get("/page", { spec: `id=${id}`, limit: String(limit), after: body.page.paging.nextCursor });
      assert.deepEqual(next.page.data.map((c) => c.id), expectedIds(mock).slice(limit, 2 * limit));
    }
  }],
  ["error", (r) => async () => {
    const [spec, name] = ERRORS[Math.floor(r() * ERRORS.length)];
    const { body } = await worker.get("/error", { spec: `id=${runId("iso-err")};${spec}` });
    assert.equal(body.thrown.name, name, spec);
    assert.equal(body.thrown.instanceOf[name], true, spec);
  }],
  ["network", () => async () => {
    const { body } = await worker.get("/error", { closed: "1" });
    assert.deepEqual([body.thrown.name, body.thrown.instanceOf.NetworkError], ["NetworkError", true]);
  }],
  ["timeout", (r) => async () => {
    const timeoutMs = 50 + Math.floor(r() * 100);
    const { body } = await worker.get("/timeout", { spec: `id=${runId("iso-timeout")};slow=2000`, timeoutMs: String(timeoutMs) });
    assert.deepEqual([body.thrown.name, body.thrown.fields.timeoutMs], ["TimeoutError", timeoutMs]);
  }],
  ["abort", (r) => async () => {
    const reasonType = REASONS[Math.floor(r() * REASONS.length)];
    const { body } = await worker.get("/abort", { spec: `id=${runId("iso-abort")};slow=2000`, reasonType, reason: "gone", ms: "20" });
    assert.equal(body.same, true, `rejects with exactly the ${reasonType} reason`);
    const expected = {
      string: ["string", "gone"], number: ["number", 42], symbol: ["symbol", "gone"],
      null: ["object", null], object: ["object", null], error: ["object", null], undefined: ["object", null],
    }[reasonType];
    assert.deepEqual([body.thrown.type, body.thrown.value], expected, reasonType);
    if (reasonType === "undefined") assert.equal(body.isAbortError, true);
    if (reasonType === "error") assert.equal(body.thrown.name, "RangeError");
    assert.ok(body.elapsedMs < 1000, `${body.elapsedMs} ms`);
  }],
  ["bad options", (r) => async () => {
    const id = runId("iso-bad");
    const only = BAD_LABELS[Math.floor(r() * BAD_LABELS.length)];
    const { body } = await worker.get("/bad-options", { id, only });
    assert.equal(body.outcomes.length, 1);
    assert.deepEqual(badOptionProblems(body.outcomes[0], [WORKER_TOKEN]), [], only);
    assert.deepEqual(mock.log(id), []);
  }],
  ["pager", (r) => async () => {
    const seed = 1 + Math.floor(r() * 300);
    const limit = 5 + Math.floor(r() * 60);
    const { body } = await worker.get("/paginate", { spec: `id=${runId("iso-pager")};random=${seed}`, limit: String(limit) });
    assert.equal(body.ok, true, JSON.stringify(body.thrown));
    assert.deepEqual(body.ids, mock.randomInbox(seed, { limit }).conversations.map((c) => c.id), `seed ${seed}`);
  }],
  ["pager with faults", (r) => async () => {
    const seed = 1 + Math.floor(r() * 300);
    const params = {
      spec: `id=${runId("iso-faults")};random=${seed};size=40;emptyrate=0;faults=${seed};faultrate=20;faultkinds=html,reset,transient,ratelimit`,
      limit: "10", maxRetries: "3",
    };
    const { body } = await worker.get("/paginate", params);
    assert.equal(body.ok, true, JSON.stringify(body.thrown));
    assert.deepEqual(body.ids, mock.randomInbox(seed, { size: 40 }).conversations.map((c) => c.id), `seed ${seed}`);
  }],
  ["pager auth error", (r) => async () => {
    const seed = 1 + Math.floor(r() * 300);
    const truth = mock.randomInbox(seed, { limit: 10, size: 50, emptyRate: 0 });
    const { body } = await worker.get("/paginate", { spec: `id=${runId("iso-auth")};random=${seed};size=50;emptyrate=0;authat=2`, limit: "10" });
    assert.deepEqual([body.ok, body.thrown.name], [false, "AuthError"]);
    assert.deepEqual(body.ids, truth.conversations.slice(0, truth.pages[0].count).map((c) => c.id));
  }],
  ["pager repeat", () => async () => {
    const { body } = await worker.get("/paginate", { spec: `id=${runId("iso-repeat")};repeat=1`, limit: "3" });
    assert.deepEqual([body.ok, body.thrown.name, body.ids], [false, "PagingError", expectedIds(mock).slice(0, 3)]);
  }],
];
const WEIGHTS = { page: 5, error: 5, network: 1, timeout: 2, abort: 4, "bad options": 3, pager: 3, "pager with faults": 1, "pager auth error": 1, "pager repeat": 1 };

test(`${TOTAL} mixed requests through one Worker instance, which then still serves correct pages`, async (t) => {
  const started = performance.now();
  const { body: first } = await worker.get("/instance");
  assert.ok(first.instanceId);

  const random = mulberry32(20261120);
  const plan = [];
  const bag = KINDS.flatMap(([kind, make]) => Array(WEIGHTS[kind]).fill([kind, make]));
  // Every kind at least once, then a weighted draw.
  for (const [kind, make] of KINDS) plan.push({ kind, run: make(random) });
  while (plan.length < TOTAL) {
    const [kind, make] = bag[Math.floor(random() * bag.length)];
    plan.push({ kind, run: make(random) });
  }
  const counts = {};
  const failures = [];
  for (let i = 0; i < plan.length; i += CONCURRENCY) {
    await Promise.all(plan.slice(i, i + CONCURRENCY).map(async ({ kind, run }, j) => {
      counts[kind] = (counts[kind] ?? 0) + 1;
      try {
        await run();
      } catch (err) {
        failures.push(`request ${i + j} (${kind}): ${err.message}`);
      }
    }));
  }
  assert.deepEqual(failures, []);

  // The same instance served everything, and still pages a whole listing correctly.
  const { body: middle } = await worker.get("/instance");
  assert.equal(middle.instanceId, first.instanceId, "one Worker instance");
  const all = expectedIds(mock);
  const id = runId("iso-final");
  const seen = [];
  let cursor = null;
  do {
    const { body } = await worker.get("/page", { spec: `id=${id}`, limit: "7", ...(cursor ? { after: cursor } : {}) });
    seen.push(...body.page.data.map((c) => c.id));
    cursor = body.page.paging.nextCursor;
  } while (cursor);
  assert.deepEqual(seen, all);
  const { body: pager } = await worker.get("/paginate", { spec: `id=${runId("iso-final-pager")};random=77`, limit: "33" });
  assert.deepEqual(pager.ids, mock.randomInbox(77).conversations.map((c) => c.id));
  const { body: last } = await worker.get("/instance");
  assert.equal(last.instanceId, first.instanceId, "one Worker instance");
  assert.ok(last.served - first.served >= TOTAL, `${last.served - first.served} requests served`);
  t.diagnostic(`${plan.length} mixed requests (${JSON.stringify(counts)}), ${last.served - first.served} Worker requests in all, one instance ${first.instanceId}, ${((performance.now() - started) / 1000).toFixed(1)} s`);
});
