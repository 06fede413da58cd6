// The package inside a Cloudflare Worker, in real workerd through Miniflare: worker/worker.mjs
// is bundled with esbuild as wrangler does (workerd condition, .wasm as a CompiledWasm module),
// then pages, errors with instanceof, aborts, timeouts, header tokens, no leaked token, and one
// instance surviving many mixed requests.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";

import { closedPort, expectedIds, requestsOf, runId, useMock } from "./helpers.mjs";
import { startWorker } from "./worker-harness.mjs";

const ctx = useMock();
const WORKER_TOKEN = "EAAWorkerTok3nSecret0123456789";
let outDir;
let bundleText;
let harness;

/** GETs a Worker route; returns the parsed JSON and the raw text. */
const worker = (route, params = {}) => harness.get(route, params);

/** Asserts that a Worker's answer contains neither the token nor `access_token`. */
function assertClean(text) {
  assert.ok(!text.includes(WORKER_TOKEN), "the token leaked");
  assert.ok(!text.includes("access_token"), "access_token leaked");
}

describe("workerd", () => {
  // Inside the suite, so that the mock (started by the file-level hook of useMock) is up.
  before(async () => {
    const closed = await closedPort();
    harness = await startWorker({ MOCK_URL: ctx.mock.url, CLOSED_URL: `http://127.0.0.1:${closed}`, TOKEN: WORKER_TOKEN });
    ({ outDir, bundleText } = harness);
  });

  after(async () => {
    await harness?.dispose();
  });

  test("the bundle uses the workerd entry (static CompiledWasm import, no node:fs)", () => {
    assert.match(bundleText, /initSync\(\{ module: \w+ \}\)/, "workerd.js's initSync was not bundled (tree-shaken?)");
    assert.match(bundleText, /^import \w+ from "\.\/page_conversations_bg\.wasm";$/m);
    assert.ok(existsSync(path.join(outDir, "page_conversations_bg.wasm")));
    assert.ok(!bundleText.includes("readFileSync") && !bundleText.includes("node:fs"));
    assert.ok(!bundleText.includes("./gen/page_conversations_bg.wasm"), "not the browser entry");
  });

  test("10,000 hostile option objects are InvalidOptionsError, and the instance is unharmed", async () => {
    const { body } = await worker("/hostile", { id: runId("wd-hostile"), count: "10000" });
    assert.deepEqual(body.failures, []);
    assert.equal(body.refused + body.resolvedAsAllowed, 10_000);
    assert.equal(body.valid, 100);
    assert.equal(body.lastCount, 2);
    for (const key of Object.keys(body.before)) {
      assert.ok(body.after[key] <= body.before[key] * 1.1, `${key}: ${body.before[key]} -> ${body.after[key]}`);
    }
    // The same isolate answers the next request.
    const next = await worker("/page", { spec: `id=${runId("wd-after-hostile")}`, limit: "2" });
    assert.equal(next.body.page.data.length, 2);
  });

  test("a page of conversations, then the next one; the token goes in a header", async () => {
    const id = runId("wd-page");
    const one = await worker("/page", { spec: `id=${id}`, limit: "3" });
    assert.deepEqual(one.body.page.data.map((c) => c.id), expectedIds(ctx.mock).slice(0, 3));
    assert.equal(one.body.page.paging.previousCursor, null);
    const two = await worker("/page", { spec: `id=${id}`, limit: "3", after: one.body.page.paging.nextCursor });
    assert.deepEqual(two.body.page.data.map((c) => c.id), expectedIds(ctx.mock).slice(3, 6));
    const log = await requestsOf(ctx.mock, id);
    assert.deepEqual(log.map((e) => [e.tokenIn, e.status]), [["header", 200], ["header", 200]]);
    assert.ok(log.every((e) => e.headers.includes("authorization")));
  });

  test("nested links in a Worker's page carry no token", async () => {
    const { body, text } = await worker("/page", { spec: `id=${runId("wd-nested")}`, limit: "3", fields: "id,messages.limit(1){id}", tokenIn: "query" });
    assert.ok(body.page.data.some((c) => c.messages.paging?.next));
    assertClean(text);
  });

  const CLASS_CASES = [
    ["error=190.463", "AuthError", "ERR_GRAPH_AUTH", ["GraphError", "GraphApiError", "AuthError"]],
    ["error=613", "RateLimitError", "ERR_GRAPH_RATE_LIMIT", ["GraphError", "GraphApiError", "RateLimitError"]],
    ["html=502", "InvalidResponseError", "ERR_INVALID_RESPONSE", ["GraphError", "InvalidResponseError"]],
  ];
  for (const [spec, name, code, classes] of CLASS_CASES) {
    test(`${spec}: ${name} with instanceof inside the Worker`, async () => {
      const id = runId("wd-error");
      const { body, text } = await worker("/error", { spec: `id=${id};${spec}`, tokenIn: "query" });
      const thrown = body.thrown;
      assert.deepEqual([thrown.isError, thrown.name, thrown.code], [true, name, code]);
      assert.deepEqual(Object.keys(thrown.instanceOf).filter((k) => thrown.instanceOf[k]).sort(), [...classes].sort());
      assert.equal(thrown.instanceofAuthError, name === "AuthError");
      assert.equal(JSON.parse(thrown.json).name, name);
      assertClean(text);
      assert.equal((await requestsOf(ctx.mock, id)).length, 1);
    });
  }

  test("error fields survive: status, graphCode, graphSubcode, userTitle", async () => {
    const { body } = await worker("/error", { spec: `id=${runId("wd-fields")};error=190.463` });
    assert.deepEqual(
      [body.thrown.fields.status, body.thrown.fields.graphCode, body.thrown.fields.graphSubcode, body.thrown.fields.userTitle],
      [400, 190, 463, "Your session has expired"],
    );
  });

  test("Graph echoing the token and a refused connection: no token in any error", async () => {
    const echo = await worker("/error", { spec: `id=${runId("wd-echo")};error=190;echo=1`, tokenIn: "query" });
    assert.equal(echo.body.thrown.name, "AuthError");
    assert.match(echo.body.thrown.message, /Malformed access token/);
    assertClean(echo.text);
    const closed = await worker("/error", { closed: "1", tokenIn: "query" });
    assert.equal(closed.body.thrown.name, "NetworkError");
    assert.equal(closed.body.thrown.instanceOf.NetworkError, true);
    assertClean(closed.text);
  });

  test("abort with a string reason rejects with exactly that reason", async () => {
    const { body } = await worker("/abort", { spec: `id=${runId("wd-abort")};slow=3000`, reason: "navigated away", ms: "50" });
    assert.equal(body.same, true);
    assert.deepEqual([body.thrown.type, body.thrown.value, body.thrown.isError], ["string", "navigated away", false]);
    assert.ok(body.elapsedMs < 1000, `${body.elapsedMs} ms`);
  });

  test("timeoutMs gives a TimeoutError", async () => {
    const { body, text } = await worker("/timeout", { spec: `id=${runId("wd-timeout")};slow=3000`, timeoutMs: "100" });
    assert.deepEqual([body.thrown.name, body.thrown.code, body.thrown.fields.timeoutMs], ["TimeoutError", "ERR_TIMEOUT", 100]);
    assert.equal(body.thrown.instanceOf.TimeoutError, true);
    assertClean(text);
  });

  test("the instance survives aborts and errors: 20 mixed requests, pages stay right", async () => {
    const all = expectedIds(ctx.mock);
    const id = runId("wd-mixed");
    let cursor = null;
    let offset = 0;
    for (let i = 0; i < 20; i += 1) {
      if (i % 4 === 1) {
        const { body } = await worker("/abort", { spec: `id=${id}-a;slow=2000`, reason: `r${i}`, ms: "20" });
        assert.deepEqual([body.same, body.thrown.value], [true, `r${i}`]);
      } else if (i % 4 === 2) {
        const { body } = await worker("/error", { spec: `id=${id}-e;error=${i % 8 === 2 ? "190" : "10"}` });
        assert.equal(body.thrown.name, i % 8 === 2 ? "AuthError" : "PermissionError");
      } else {
        if (cursor === null) offset = 0;
        const params = { spec: `id=${id}`, limit: "4", ...(cursor ? { after: cursor } : {}) };
        const { body } = await worker("/page", params);
        assert.deepEqual(body.page.data.map((c) => c.id), all.slice(offset, offset + 4), `request ${i}`);
        offset += 4;
        cursor = body.page.paging.nextCursor;
      }
    }
    assert.equal((await requestsOf(ctx.mock, id)).length, 10);
  });

  test("paginateConversations: every conversation once, through legacy links and empty pages", async () => {
    const all = expectedIds(ctx.mock);
    for (const spec of ["", "legacy=1", "empty=3"]) {
      const id = runId("wd-pager");
      const { body, text } = await worker("/paginate", { spec: `id=${id};${spec}`, limit: "30", tokenIn: "query" });
      assert.equal(body.ok, true, JSON.stringify(body.thrown));
      assert.deepEqual(body.ids, all, spec);
      assert.deepEqual(body.progress.map((p) => p.pageNumber), body.progress.map((_, i) => i + 1));
      assert.equal(body.progress.at(-1).itemCount, all.length);
      assert.ok(body.progress.every((p) => p.size > 0), "no empty page yielded");
      const requests = await requestsOf(ctx.mock, id);
      assert.equal(requests.length, body.progress.length + (spec === "empty=3" ? 3 : 0), spec);
      assert.ok(requests.every((r) => r.tokenIn === "query"), "the token stays where it was put, once");
      assertClean(text);
    }
  });

  test("paginateConversations: maxItems and updatedSince trim; paging errors and aborts", async () => {
    const all = expectedIds(ctx.mock);
    const limited = await worker("/paginate", { spec: `id=${runId("wd-max")}`, limit: "10", maxItems: "25" });
    assert.deepEqual(limited.body.ids, all.slice(0, 25));
    assert.deepEqual(limited.body.progress.map((p) => p.size), [10, 10, 5]);

    const threads = ctx.mock.inbox.threads.filter((t) => all.includes(t.id));
    const since = new Date(threads[7].updatedMs).toISOString();
    const recent = await worker("/paginate", { spec: `id=${runId("wd-since")}`, limit: "5", updatedSince: since });
    assert.deepEqual(recent.body.ids, all.slice(0, 8));

    const forever = runId("wd-forever");
    const spinning = await worker("/paginate", { spec: `id=${forever};emptyforever=1` });
    assert.deepEqual([spinning.body.ok, spinning.body.thrown.name, spinning.body.thrown.instanceOf.PagingError], [false, "PagingError", true]);
    assert.equal((await requestsOf(ctx.mock, forever)).length, 10);

    const aborted = await worker("/paginate", { spec: `id=${runId("wd-pabort")}`, limit: "2", rps: "1", abortMs: "300", reason: "stop" });
    assert.deepEqual([aborted.body.ok, aborted.body.same, aborted.body.thrown.value], [false, true, "stop"]);
    assert.ok(aborted.body.elapsedMs < 800, `the pacing wait was cancelled at once (${aborted.body.elapsedMs} ms)`);
    assert.deepEqual(aborted.body.ids, all.slice(0, 2));
  });

  test("paginateConversations: random inboxes exactly once in order; maxPages, toArray, repeated cursors", async () => {
    for (const seed of [3, 8, 999, 1000, 31]) {
      const limit = 1 + (seed % 29);
      const truth = ctx.mock.randomInbox(seed, { limit });
      const id = runId("wd-random");
      const { body } = await worker("/paginate", { spec: `id=${id};random=${seed}`, limit: String(limit) });
      assert.equal(body.ok, true, JSON.stringify(body.thrown));
      assert.deepEqual(body.ids, truth.conversations.map((c) => c.id), `seed ${seed}`);
      assert.equal((await requestsOf(ctx.mock, id)).length, Math.max(1, truth.pages.length), `seed ${seed}`);
    }
    const all = expectedIds(ctx.mock);
    const pages = await worker("/paginate", { spec: `id=${runId("wd-maxpages")};empty=2`, limit: "7", maxPages: "2" });
    assert.deepEqual(pages.body.ids, all.slice(0, 14));
    const array = await worker("/paginate", { spec: `id=${runId("wd-toarray")}`, limit: "4", toArray: "10" });
    assert.deepEqual(array.body.ids, all.slice(0, 10));
    const repeatId = runId("wd-repeat");
    const repeat = await worker("/paginate", { spec: `id=${repeatId};repeat=1`, limit: "5" });
    assert.deepEqual([repeat.body.ok, repeat.body.thrown.name, repeat.body.ids], [false, "PagingError", all.slice(0, 5)]);
    assert.equal((await requestsOf(ctx.mock, repeatId)).length, 2);
  });
});
