// The Worker's module run directly in Node against the mock Graph (fast checks of routing and
// configuration); tests/e2e/ runs the same Worker bundled, in workerd, behind the dashboard.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { startMockGraph } from "../../../tests/graph-mock/server.mjs";
import worker from "../src/app.js";

const TOKEN = "EAAWorkerUnitTok3n0123456789";
let mock;
let env;
let run = 0;

before(async () => {
  mock = await startMockGraph({ port: 0, conversations: 40, seed: 3 });
  env = { PAGE_ID: mock.pageId, PAGE_ACCESS_TOKEN: TOKEN, APP_SECRET: mock.appSecret, GRAPH_BASE_URL: mock.url };
});
after(() => mock?.close());

async function call(path, { headers = {}, method = "GET", environment = env } = {}) {
  const response = await worker.fetch(new Request(`http://worker.test${path}`, { headers, method }), environment);
  const text = await response.text();
  assert.ok(!text.includes(TOKEN), "the token leaked");
  return { response, status: response.status, body: JSON.parse(text) };
}

describe("the Worker module", () => {
  test("/api/info says what the dashboard may know, nothing secret", async () => {
    const { status, body } = await call("/api/info");
    assert.equal(status, 200);
    assert.deepEqual(body, { pageId: mock.pageId, apiVersion: "v25.0", appSecretProof: true, demoScenarios: false, live: false });
  });

  test("missing secrets → 500 ERR_WORKER_CONFIG, before any Graph call", async () => {
    const { status, body } = await call("/api/conversations", { environment: { GRAPH_BASE_URL: mock.url } });
    assert.equal(status, 500);
    assert.equal(body.error.code, "ERR_WORKER_CONFIG");
    assert.match(body.error.message, /PAGE_ID and PAGE_ACCESS_TOKEN/);
  });

  test("a PAGE_ID that is not digits → 500 ERR_WORKER_CONFIG", async () => {
    const { status, body } = await call("/api/conversations", { environment: { ...env, PAGE_ID: "my-page" } });
    assert.equal(status, 500);
    assert.equal(body.error.code, "ERR_WORKER_CONFIG");
  });

  test("without APP_SECRET: no proof; with it: a proof on every call", async () => {
    const id = `unit-proof-${++run}`;
    const headers = { "X-Mock-Scenario": `id=${id}` };
    const demo = { ...env, DEMO_SCENARIOS: "1" };
    const first = await call("/api/conversations?limit=5", { headers, environment: demo });
    await call(`/api/conversations?limit=5&cursor=${encodeURIComponent(first.body.paging.nextCursor)}`, { headers, environment: demo });
    await call("/api/conversations?limit=5", { headers, environment: { ...demo, APP_SECRET: undefined } });
    assert.deepEqual(mock.log(id).map((entry) => [entry.tokenIn, entry.proof !== null]), [["header", true], ["header", true], ["header", false]]);
  });

  test("X-Mock-Scenario is ignored unless DEMO_SCENARIOS is 1", async () => {
    const headers = { "X-Mock-Scenario": "error=190.463" };
    assert.equal((await call("/api/conversations?limit=1", { headers })).status, 200);
    assert.equal((await call("/api/conversations?limit=1", { headers, environment: { ...env, DEMO_SCENARIOS: "1" } })).status, 401);
    const bad = await call("/api/conversations", { headers: { "X-Mock-Scenario": "a/b" }, environment: { ...env, DEMO_SCENARIOS: "1" } });
    assert.equal(bad.status, 400);
  });

  test("routes, methods and bad input", async () => {
    assert.equal((await call("/api/nope")).status, 404);
    const post = await call("/api/conversations", { method: "POST" });
    assert.equal(post.status, 405);
    assert.equal(post.response.headers.get("Allow"), "GET");
    for (const query of ["limit=abc", "limit=0", "limit=5000", "platform=myspace", "folder=trash"]) {
      const { status, body } = await call(`/api/conversations?${query}`);
      assert.equal(status, 400, query);
      assert.ok(["ERR_BAD_REQUEST", "ERR_INVALID_OPTIONS"].includes(body.error.code), query);
    }
    assert.equal((await call("/api/conversations/a%2Fb/messages")).status, 404, "not a conversation id");
    assert.equal((await call("/api/conversations/%E0%A4%A/messages")).status, 400);
  });

  test("a request whose signal aborts cancels the Graph requests it caused", async () => {
    // workerd does not fire request.signal locally before a response starts (see
    // tests/e2e/worker-api.test.mjs); here the Request's own signal stands for the client hanging up.
    const id = `unit-hangup-${++run}`;
    const demo = { ...env, DEMO_SCENARIOS: "1" };
    const headers = { "X-Mock-Scenario": `id=${id};slow=6000` };
    const paths = ["/api/conversations?limit=5", `/api/conversations/${encodeURIComponent(mock.inbox.threads[0].id)}/messages`];
    const settled = await Promise.allSettled(paths.map((path) =>
      worker.fetch(new Request(`http://worker.test${path}`, { headers, signal: AbortSignal.timeout(300) }), demo)));
    assert.ok(settled.every((s) => s.status === "rejected" || s.value.status >= 400), "no page came back");
    let requests = [];
    for (let i = 0; i < 30 && !(requests.length > 0 && requests.every((e) => e.abandoned)); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      requests = mock.log(id).filter((e) => e.method === "GET");
    }
    assert.ok(requests.length <= paths.length);
    assert.deepEqual(requests.map((e) => e.abandoned ?? false), requests.map(() => true), "Graph saw every request it got cancelled");
  });

  test("answers are JSON, not cached, not sniffed", async () => {
    const { response } = await call("/api/conversations?limit=1");
    assert.equal(response.headers.get("Content-Type"), "application/json; charset=utf-8");
    assert.equal(response.headers.get("Cache-Control"), "no-store");
    assert.equal(response.headers.get("X-Content-Type-Options"), "nosniff");
  });

  test("outside /api/ without an assets binding: 404", async () => {
    const response = await worker.fetch(new Request("http://worker.test/index.html"), env);
    assert.equal(response.status, 404);
  });
});
