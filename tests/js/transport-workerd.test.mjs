// The transport's defences inside a Cloudflare Worker, in real workerd through Miniflare
// (worker/worker.mjs): redirects never followed (nothing reaches a second server), an endless
// body stopped at the body limit with workerd's memory bounded, usage headers redacted, and a
// NetworkError naming the host and path it tried.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { after, before, describe, test } from "node:test";

import { MOCK_PAGE_ID, closedPort, requestsOf, runId, useMock } from "./helpers.mjs";
import { startWorker } from "./worker-harness.mjs";

const ctx = useMock();
const WORKER_TOKEN = "EAAWorkerTransportTok3n0123456789";
const MiB = 1024 * 1024;

/** The RSS of this process's workerd children, in bytes (0 when none is found). */
function workerdRss() {
  try {
    const lines = execFileSync("ps", ["-o", "rss=,comm=", "--ppid", String(process.pid)], { encoding: "utf8" });
    return lines.split("\n").filter((line) => line.includes("workerd"))
      .reduce((sum, line) => sum + Number(line.trim().split(/\s+/)[0]) * 1024, 0);
  } catch {
    return 0;
  }
}

/** Asserts that a Worker's answer contains neither the token nor `access_token`. */
function assertClean(text) {
  assert.ok(!text.includes(WORKER_TOKEN), "the token leaked");
  assert.ok(!text.includes("access_token"), "access_token leaked");
}

describe("workerd transport", () => {
  let harness;
  let witness;
  const received = [];
  let closed;

  before(async () => {
    witness = createServer((req, res) => {
      received.push({ url: req.url, headers: req.headers });
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ data: [{ id: "t_from_the_redirect" }] }));
    });
    await new Promise((resolve) => { witness.listen(0, "127.0.0.1", resolve); });
    closed = await closedPort();
    harness = await startWorker({ MOCK_URL: ctx.mock.url, CLOSED_URL: `http://127.0.0.1:${closed}`, TOKEN: WORKER_TOKEN });
  });

  after(async () => {
    await harness?.dispose();
    witness?.closeAllConnections();
    await new Promise((resolve) => { witness ? witness.close(resolve) : resolve(); });
  });

  /** GETs the Worker's /error route (which answers 200 with what was thrown). */
  const thrownBy = async (params) => {
    const res = await harness.fetch("/error", params);
    const text = await res.text();
    return { status: res.status, body: JSON.parse(text), text };
  };

  for (const [status, tokenIn] of [[302, "header"], [307, "query"]]) {
    test(`a ${status} (token in the ${tokenIn}) is an InvalidResponseError; its Location receives nothing`, async () => {
      const id = runId(`wd-redirect-${status}`);
      const port = witness.address().port;
      const { body, text } = await thrownBy({ spec: `id=${id};redirect=${status};redirectport=${port}`, tokenIn, maxRetries: "2" });
      assert.equal(body.thrown?.name, "InvalidResponseError", text.slice(0, 1000));
      assert.equal(body.thrown.fields.status, status);
      assert.match(body.thrown.message, /which is never followed/);
      assert.equal(received.length, 0, `the redirect's host received ${JSON.stringify(received)}`);
      assert.equal((await requestsOf(ctx.mock, id)).length, 1, "not retried");
      assertClean(text);
    });
  }

  for (const kind of ["1", "length"]) {
    test(`endless=${kind}: InvalidResponseError quickly, workerd's memory bounded`, async (t) => {
      const id = runId(`wd-endless-${kind}`);
      const baseline = workerdRss();
      let peak = baseline;
      const timer = setInterval(() => { peak = Math.max(peak, workerdRss()); }, 50);
      const started = Date.now();
      let result;
      try {
        result = await thrownBy({ spec: `id=${id};endless=${kind}`, timeoutMs: "20000" });
      } finally {
        clearInterval(timer);
      }
      const elapsed = Date.now() - started;
      peak = Math.max(peak, workerdRss());
      t.diagnostic(`workerd endless=${kind}: ${elapsed} ms, RSS ${(baseline / MiB).toFixed(0)} MiB → peak ${(peak / MiB).toFixed(0)} MiB`);
      assert.equal(result.body.thrown?.name, "InvalidResponseError", result.text.slice(0, 1000));
      assert.match(result.body.thrown.message, /larger than 32 MiB/);
      assert.ok(elapsed < 10_000, `${elapsed} ms`);
      if (baseline > 0) assert.ok(peak - baseline < 200 * MiB, `workerd grew by ${((peak - baseline) / MiB).toFixed(0)} MiB`);
    });
  }

  test("a token in X-Business-Use-Case-Usage reaches neither page.usage nor RateLimitError", async () => {
    const page = await harness.get("/page", { spec: `id=${runId("wd-usage")};usagetoken=1`, limit: "2" });
    assert.ok(page.body.page.usage, page.text.slice(0, 500));
    assert.ok(page.body.page.usage.businessUseCase["[REDACTED]"]);
    assertClean(page.text);
    const { body, text } = await thrownBy({ spec: `id=${runId("wd-usage-613")};usagetoken=1;error=613`, tokenIn: "query" });
    assert.equal(body.thrown?.name, "RateLimitError", text.slice(0, 1000));
    assert.ok(body.thrown.fields.usage);
    assertClean(text);
  });

  test("a refused connection: NetworkError naming the host and the path", async () => {
    const { body, text } = await thrownBy({ closed: "1", tokenIn: "query" });
    assert.equal(body.thrown?.name, "NetworkError", text.slice(0, 1000));
    assert.match(body.thrown.message, new RegExp(`^Network error: GET http://127\\.0\\.0\\.1:${closed}/v\\d+\\.\\d+/${MOCK_PAGE_ID}/conversations failed: \\S`));
    assertClean(text);
  });
});
