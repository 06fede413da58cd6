// contract.test.mjs's checks that are cheap inside a Cloudflare Worker (real workerd through
// Miniflare, the Worker of worker/worker.mjs): nested participants links cleaned of the token,
// Graph's 2-per-second Page rate (ratelimit=2) with and without pacing, pacing that counts
// retries, timeoutMs kept on page 2, retryAfterMs from the largest of several usage entries, and JSON
// that is not a listing.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { MOCK_PAGE_ID, expectedIds, gaps, requestsOf, runId, useMock } from "./helpers.mjs";
import { startWorker } from "./worker-harness.mjs";

const ctx = useMock({ conversations: 120 });
const WORKER_TOKEN = "EAAWorkerContractTok3n0123456789";
let harness;

const worker = (route, params = {}) => harness.get(route, params);

describe("workerd: contract", () => {
  before(async () => {
    harness = await startWorker({ MOCK_URL: ctx.mock.url, CLOSED_URL: "http://127.0.0.1:9", TOKEN: WORKER_TOKEN });
    // Warm up the Worker (first request: module instantiation) before anything is timed.
    await worker("/page", { spec: `id=${runId("wd-warm")}`, limit: "1" });
  });

  after(async () => {
    await harness?.dispose();
  });

  test("nested participants next links carry no token; the cursor stays", async () => {
    const { body, text } = await worker("/page", {
      spec: `id=${runId("wd-people")}`, limit: "3", fields: "id,participants.limit(1){id}", tokenIn: "query",
    });
    const links = body.page.data.map((c) => c.participants.paging.next);
    assert.equal(links.filter(Boolean).length, 3, text.slice(0, 500));
    for (const [i, link] of links.entries()) {
      const url = new URL(link);
      assert.equal(url.searchParams.has("access_token"), false);
      assert.equal(url.searchParams.get("after"), body.page.data[i].participants.paging.cursors.after);
    }
    assert.ok(!text.includes(WORKER_TOKEN) && !text.includes("access_token"));
  });

  test("JSON that is not a listing (shape=data, shape=link) is an InvalidResponseError with status 200", async () => {
    for (const kind of ["data", "link"]) {
      const res = await harness.fetch("/page", { spec: `id=${runId("wd-shape")};shape=${kind}` });
      const body = await res.json();
      assert.deepEqual([res.status, body.ok], [500, false]);
      assert.deepEqual([body.thrown.name, body.thrown.instanceOf.InvalidResponseError, body.thrown.fields.status], ["InvalidResponseError", true, 200], kind);
    }
  });

  test("ratelimit=2: the default pace (2/s) never hits it; no pacing with maxRetries 0 gets RateLimitError", async () => {
    const paced = runId("wd-rate-paced");
    const { body } = await worker("/paginate", { spec: `id=${paced};ratelimit=2;ratewindow=960`, limit: "12", rps: "2" });
    assert.equal(body.ok, true, JSON.stringify(body.thrown));
    assert.deepEqual(body.ids, expectedIds(ctx.mock));
    assert.ok(body.progress.length >= 5, `${body.progress.length} pages`);
    const log = await requestsOf(ctx.mock, paced);
    assert.ok(log.every((e) => e.status === 200 && !e.rateLimited), JSON.stringify(log.map((e) => e.status)));

    const unpaced = runId("wd-rate-unpaced");
    const fast = await worker("/paginate", { spec: `id=${unpaced};ratelimit=2`, limit: "5", rps: "0", maxRetries: "0" });
    assert.equal(fast.body.ok, false);
    assert.deepEqual([fast.body.thrown.name, fast.body.thrown.instanceOf.RateLimitError, fast.body.thrown.fields.graphCode], ["RateLimitError", true, 613]);
    assert.equal(fast.body.ids.length, 10);
  });

  test("requestsPerSecond counts retries: at 1/s the retry after a 502 comes ≥ 1 s after the first attempt", async () => {
    const id = runId("wd-pace-retry");
    const { body } = await worker("/paginate", { spec: `id=${id};html=502;times=1`, limit: "5", rps: "1", maxPages: "2" });
    assert.equal(body.ok, true, JSON.stringify(body.thrown));
    const log = await requestsOf(ctx.mock, id);
    assert.deepEqual(log.map((e) => e.status), [502, 200, 200]);
    const between = gaps(log.map((e) => e.at));
    assert.ok(between.every((gap) => gap >= 985), `gaps ${between}`);
  });

  test("timeoutMs is kept on page 2: a slow page 2 gives TimeoutError", async () => {
    const id = runId("wd-timeout2");
    const { body } = await worker("/paginate", { spec: `id=${id};after=1;slow=3000`, limit: "5", timeoutMs: "300", maxRetries: "0" });
    assert.equal(body.ok, false);
    assert.deepEqual([body.thrown.name, body.thrown.fields.timeoutMs], ["TimeoutError", 300]);
    assert.deepEqual(body.ids, expectedIds(ctx.mock).slice(0, 5));
    assert.ok(body.elapsedMs < 2000, `${body.elapsedMs} ms`);
    assert.equal((await requestsOf(ctx.mock, id)).length, 2);
  });

  test("retryAfterMs is the largest of several usage entries", async () => {
    const { body } = await worker("/error", { spec: `id=${runId("wd-eta")};error=613;eta=0.5,2,1.5` });
    assert.equal(body.thrown.name, "RateLimitError");
    assert.equal(body.thrown.fields.retryAfterMs, 120_000);
    assert.equal(body.thrown.fields.usage.businessUseCase[MOCK_PAGE_ID].length, 2);
  });
});
