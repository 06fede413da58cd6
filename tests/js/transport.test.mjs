// The transport's defences in Node, through the built package and the mock Graph: redirects are
// never followed (nothing reaches a second server), an endless body stops at the body limit with
// bounded memory, usage headers are redacted, and a NetworkError names what it tried and why,
// with the runtime's reason as its `cause`, all without the token.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, describe, test } from "node:test";

import { InvalidResponseError, NetworkError, RateLimitError, listConversations } from "page-conversations";

import {
  MOCK_APP_SECRET, MOCK_PAGE_ID, TOKEN, assertNoSecrets, baseOptions, closedPort, hmac, rejection,
  requestsOf, runId, useMock,
} from "./helpers.mjs";

const ctx = useMock();
const MiB = 1024 * 1024;
const SECRETS = [TOKEN, MOCK_APP_SECRET, hmac(MOCK_APP_SECRET, TOKEN)];

/** A loopback server that records every request it receives (and answers a Graph-like page). */
function startWitness() {
  const received = [];
  const server = createServer((req, res) => {
    received.push({ url: req.url, headers: req.headers });
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ data: [{ id: "t_from_the_redirect" }] }));
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => resolve({
      port: server.address().port, received,
      close: () => new Promise((done) => { server.closeAllConnections(); server.close(done); }),
    }));
  });
}

describe("redirects are never followed", () => {
  let witness;
  before(async () => { witness = await startWitness(); });
  after(async () => { await witness?.close(); });

  for (const [status, tokenIn] of [[302, "header"], [302, "query"], [301, "header"], [307, "header"], [308, "query"]]) {
    test(`${status} with the token in the ${tokenIn}: InvalidResponseError, nothing sent to Location, no retry`, async () => {
      const id = runId(`redirect-${status}`);
      const before_ = witness.received.length;
      const err = await rejection(listConversations(baseOptions(ctx.mock, id, `redirect=${status};redirectport=${witness.port}`, {
        tokenIn, appSecret: MOCK_APP_SECRET,
      })));
      assert.ok(err instanceof InvalidResponseError, `${err?.name}: ${err?.message}`);
      assert.equal(err.status, status);
      assert.match(err.message, new RegExp(`redirect to http://127\\.0\\.0\\.1:${witness.port}/v\\d+\\.\\d+/${MOCK_PAGE_ID}/conversations, which is never followed`));
      assert.equal(witness.received.length, before_, "the redirect's host received a request");
      assert.equal((await requestsOf(ctx.mock, id)).length, 1, "a redirect is not retried");
      assertNoSecrets(err, SECRETS, "redirect error");
    });
  }
});

/** Runs `work` while sampling this process's RSS every 10 ms: `{ result, baseline, peak }` in bytes. */
async function withPeakRss(work) {
  globalThis.gc?.();
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 10);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, baseline, peak };
  } finally {
    clearInterval(timer);
  }
}

describe("the body limit (32 MiB)", () => {
  for (const kind of ["1", "length"]) {
    test(`endless=${kind}: InvalidResponseError quickly, memory bounded, the rest not read`, async (t) => {
      const id = runId(`endless-${kind}`);
      const started = Date.now();
      const { result: err, baseline, peak } = await withPeakRss(() => rejection(listConversations(baseOptions(ctx.mock, id, `endless=${kind}`, {
        timeoutMs: 20_000, maxRetries: 2,
      }))));
      const elapsed = Date.now() - started;
      t.diagnostic(`endless=${kind}: ${elapsed} ms, RSS ${(baseline / MiB).toFixed(0)} MiB → peak ${(peak / MiB).toFixed(0)} MiB (+${((peak - baseline) / MiB).toFixed(0)} MiB)`);
      assert.ok(err instanceof InvalidResponseError, `${err?.name}: ${err?.message}`);
      assert.equal(err.status, 200);
      assert.match(err.message, /larger than 32 MiB/);
      assert.ok(elapsed < 10_000, `${elapsed} ms`);
      assert.ok(peak - baseline < 200 * MiB, `RSS grew by ${((peak - baseline) / MiB).toFixed(0)} MiB`);
      const log = await requestsOf(ctx.mock, id);
      assert.equal(log.length, 1, "not retried");
      await new Promise((resolve) => { setTimeout(resolve, 100); });
      const sent = (await requestsOf(ctx.mock, id))[0].bytesSent;
      assert.ok(sent < 128 * MiB, `the mock could send ${(sent / MiB).toFixed(0)} MiB: the rest was read`);
    });
  }

  test("a page under the limit is read whole", async () => {
    const page = await listConversations(baseOptions(ctx.mock, runId("under-limit"), "", { limit: 5 }));
    assert.equal(page.data.length, 5);
  });
});

describe("usage headers are redacted", () => {
  test("a token in X-Business-Use-Case-Usage (an id, a type) never reaches page.usage", async () => {
    for (const tokenIn of ["header", "query"]) {
      const page = await listConversations(baseOptions(ctx.mock, runId("usage-token"), "usagetoken=1", { tokenIn, limit: 2 }));
      assert.ok(page.usage, "the usage was read");
      assertNoSecrets(page.usage, SECRETS, `page.usage (${tokenIn})`);
      assert.deepEqual(Object.keys(page.usage.businessUseCase).sort(), [MOCK_PAGE_ID, "[REDACTED]"].sort());
      assert.deepEqual(page.usage.businessUseCase[MOCK_PAGE_ID].map((e) => e.type), ["[REDACTED]", "pages [REDACTED]"]);
      assert.equal(page.usage.businessUseCase["[REDACTED]"][0].callCount, 12);
    }
  });

  test("nor RateLimitError's usage and toJSON()", async () => {
    const err = await rejection(listConversations(baseOptions(ctx.mock, runId("usage-token-613"), "usagetoken=1;error=613", {
      maxRetries: 0, appSecret: MOCK_APP_SECRET,
    })));
    assert.ok(err instanceof RateLimitError, `${err?.name}: ${err?.message}`);
    assert.ok(err.usage);
    assertNoSecrets(err, SECRETS, "RateLimitError");
    assert.ok(!JSON.stringify(err.toJSON()).includes(TOKEN));
    assert.ok(JSON.stringify(err.toJSON()).includes("[REDACTED]"));
  });
});

describe("NetworkError is actionable", () => {
  for (const tokenIn of ["header", "query"]) {
    // The runtime's reason is what gloo-net keeps of the runtime's error: its `name: message`
    // (Node's "TypeError: fetch failed"; the ECONNREFUSED in that error's own cause is dropped by
    // gloo-net before the package sees it).
    test(`connection refused (token in the ${tokenIn}): method, host:port, path and the runtime's reason; cause set; no token`, async () => {
      const port = await closedPort();
      const err = await rejection(listConversations({
        pageId: MOCK_PAGE_ID, accessToken: TOKEN, baseUrl: `http://127.0.0.1:${port}/proxy`, tokenIn,
        appSecret: MOCK_APP_SECRET, maxRetries: 0,
      }));
      assert.ok(err instanceof NetworkError, `${err?.name}: ${err?.message}`);
      assert.match(err.message, new RegExp(`^Network error: GET http://127\\.0\\.0\\.1:${port}/proxy/v\\d+\\.\\d+/${MOCK_PAGE_ID}/conversations failed: TypeError: fetch failed$`));
      assert.ok(!err.message.includes("?"), "no query string");
      assert.ok(err.cause instanceof Error, "cause carries the runtime's reason");
      assert.equal(err.cause.message, "TypeError: fetch failed");
      assert.ok(!("cause" in err.toJSON()), "toJSON() has no cause");
      assertNoSecrets(err, SECRETS, "NetworkError");
      assertNoSecrets(err.cause, SECRETS, "NetworkError.cause");
    });
  }

});
