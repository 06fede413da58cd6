// Parts of API.md's contract (and GRAPH.md's behaviour) that other files do not pin down, through
// the npm package's Node entry against the mock Graph: nested participants links cleaned of the
// token, pacing under Graph's 2-per-second Page limit (ratelimit=2), pacing that counts retries,
// paginateMessages pacing per conversation, timeoutMs kept on later pages, and retryAfterMs from
// the largest of several usage entries.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import {
  RateLimitError, TimeoutError, listConversations, paginateConversations, paginateMessages,
} from "page-conversations";

import { MOCK_IG_ACCOUNT_ID, startMockGraph } from "../graph-mock/server.mjs";
import {
  MOCK_APP_SECRET, MOCK_PAGE_ID, TOKEN, assertNoSecrets, baseOptions, collect, collectUntilError, expectedIds, gaps, hmac,
  rejection, requestsOf, runId, scenarioUrl,
} from "./helpers.mjs";

const V = "v25.0";
const ctx = { mock: null };

before(async () => {
  ctx.mock = await startMockGraph({ port: 0, conversations: 250 });
  // Warm up, so that measured arrival gaps do not include one-time costs of a first request
  // (loading the wasm module, fetch, cold code paths).
  const id = runId("warm");
  await listConversations(baseOptions(ctx.mock, id, "", { limit: 1 }));
  const thread = ctx.mock.inbox.threads[0];
  await paginateMessages({ ...baseOptions(ctx.mock, id), conversationId: thread.id, limit: 1, requestsPerSecond: 0 }).toArray({ limit: 2 });
});
after(async () => { await ctx.mock?.close(); });


/** A Page id no other pager of this process uses (any digits are a Page in a random world). */
let pageCounter = 0;
const freshPageId = () => `8${String(process.pid).padStart(7, "0")}${String((pageCounter += 1)).padStart(6, "0")}`;

describe("nested people edges", () => {
  test("a nested participants/senders next link comes back without the token or proof; cursors and other parameters stay", async () => {
    const fields = "id,participants.limit(1){id,name},senders.limit(1)";
    for (const extra of [{ tokenIn: "query" }, { tokenIn: "header" }, { tokenIn: "query", appSecret: MOCK_APP_SECRET }]) {
      const id = runId("nested-people");
      const page = await listConversations(baseOptions(ctx.mock, id, "", { limit: 3, fields, ...extra }));
      const [request] = await requestsOf(ctx.mock, id);
      // What Graph sent, for comparison (the mock is deterministic apart from the token).
      const raw = new URL(`${scenarioUrl(ctx.mock, id)}/${V}/${MOCK_PAGE_ID}/conversations`);
      for (const [key, value] of Object.entries(request.query)) raw.searchParams.set(key, value);
      raw.searchParams.set("access_token", TOKEN);
      const graph = await (await fetch(raw)).json();
      assert.equal(page.data.length, 3);
      let links = 0;
      page.data.forEach((conversation, i) => {
        for (const edge of ["participants", "senders"]) {
          const got = conversation[edge];
          const want = graph.data[i][edge];
          assert.deepEqual(got.data, want.data, edge);
          assert.deepEqual(got.paging.cursors, want.paging.cursors, edge);
          if (!want.paging.next) continue;
          links += 1;
          assert.equal(new URL(want.paging.next).searchParams.get("access_token"), TOKEN, "Graph put the token in the link");
          const gotUrl = new URL(got.paging.next);
          const wantUrl = new URL(want.paging.next);
          assert.equal(gotUrl.pathname.replace(/^\/_\/[^/]*/, ""), `/${V}/${conversation.id}/${edge}`);
          assert.equal(gotUrl.searchParams.has("access_token"), false, `${edge}: token removed`);
          assert.equal(gotUrl.searchParams.has("appsecret_proof"), false, `${edge}: proof removed`);
          assert.equal(gotUrl.searchParams.get("after"), want.paging.cursors.after, `${edge}: the cursor stays`);
          for (const key of ["access_token", "appsecret_proof"]) wantUrl.searchParams.delete(key);
          assert.deepEqual([...gotUrl.searchParams], [...wantUrl.searchParams]);
        }
      });
      assert.ok(links >= 3, `${links} nested people links (every conversation has 2 participants)`);
      assertNoSecrets(page, [TOKEN, extra.appSecret && hmac(MOCK_APP_SECRET, TOKEN)], JSON.stringify(extra));
    }
  });
});

describe("Graph's rate: 2 calls per second per Page (ratelimit=2)", () => {
  test("paging 10+ pages with the default pacing never hits the limit and yields every conversation once", async (t) => {
    const id = runId("rate-paced");
    // A window a little under a second: arrival jitter on a loaded machine is not the pacing's.
    const options = baseOptions(ctx.mock, id, "ratelimit=2;ratewindow=960", { limit: 10 });
    assert.equal("requestsPerSecond" in options, false, "the default pacing");
    const pages = [];
    const items = await collect(paginateConversations({ ...options, onPage: ({ page }) => pages.push(page) }));
    const expected = expectedIds(ctx.mock);
    assert.deepEqual(items.map((c) => c.id), expected);
    assert.ok(pages.length >= 10, `${pages.length} pages`);
    const log = await requestsOf(ctx.mock, id);
    assert.equal(log.length, pages.length, "no retry was needed");
    assert.ok(log.every((e) => e.status === 200 && !e.rateLimited), JSON.stringify(log.map((e) => e.status)));
    t.diagnostic(`${pages.length} pages, smallest gap ${Math.min(...gaps(log.map((e) => e.at)))} ms`);
  });

  test("without pacing (requestsPerSecond 0, maxRetries 0) the third request gets RateLimitError", async () => {
    const id = runId("rate-unpaced");
    const { items, err } = await collectUntilError(paginateConversations(baseOptions(ctx.mock, id, "ratelimit=2", {
      limit: 5, requestsPerSecond: 0, maxRetries: 0,
    })));
    assert.ok(err instanceof RateLimitError, `${err?.name}: ${err?.message}`);
    assert.deepEqual([err.code, err.graphCode, err.status, err.graphType], ["ERR_GRAPH_RATE_LIMIT", 613, 400, "OAuthException"]);
    assert.match(err.message, /Calls to this api have exceeded the rate limit/);
    assert.deepEqual(items.map((c) => c.id), expectedIds(ctx.mock).slice(0, 10));
    assert.deepEqual((await requestsOf(ctx.mock, id)).map((e) => Boolean(e.rateLimited)), [false, false, true]);
  });
});

describe("requestsPerSecond counts retries", () => {
  for (const [rate, interval] of [[1, 1000], [0.5, 2000]]) {
    test(`at ${rate} per second, a retry after a 5xx waits for its pacing slot (≥ ${interval} ms), not just the backoff (< 1000 ms)`, async () => {
      const id = runId("pace-retry");
      const pageId = freshPageId();
      const spec = "random=303;size=60;emptyrate=0;html=502;times=1";
      const pages = rate === 1 ? 2 : 1;
      const items = await collect(paginateConversations(baseOptions(ctx.mock, id, spec, {
        pageId, limit: 5, requestsPerSecond: rate, maxPages: pages,
      })));
      assert.ok(items.length > 0);
      const log = await requestsOf(ctx.mock, id);
      assert.deepEqual(log.map((e) => e.status), [502, ...Array(pages).fill(200)], "a 5xx, its retry, then the next page");
      const between = gaps(log.map((e) => e.at));
      assert.ok(between.every((gap) => gap >= interval - 15), `gaps ${between} at ${rate} per second`);
    });
  }
});

describe("paginateMessages paces per conversation, or with its Page given as pageId", () => {
  /** Two threads of the fixed inbox with at least 4 readable messages, not used by other tests. */
  const threads = () => ctx.mock.inbox.threads.filter((t) => t.readable.length >= 4).slice(-3);
  /** Messages options without `pageId` (paced per conversation), or with the Page `pageId`. */
  const messageOptions = (id, conversationId, pageId = undefined) => {
    const { pageId: _, ...options } = baseOptions(ctx.mock, id);
    return { ...options, pageId, conversationId, limit: 1, maxPages: 3, requestsPerSecond: 2 };
  };

  test("with pageId, two conversations of one Page share the Page's pace", async () => {
    const [a, b] = threads();
    const id = runId("msg-pace-page");
    const pageId = freshPageId();
    const [itemsA, itemsB] = await Promise.all([
      collect(paginateMessages(messageOptions(id, a.id, pageId))),
      collect(paginateMessages(messageOptions(id, b.id, pageId))),
    ]);
    assert.deepEqual([itemsA.length, itemsB.length], [3, 3]);
    const times = (await requestsOf(ctx.mock, id)).map((e) => e.at).sort((x, y) => x - y);
    assert.equal(times.length, 6);
    assert.ok(gaps(times).every((gap) => gap >= 450), `combined gaps ${gaps(times)}`);
  });

  test("two pagers over two conversations run concurrently are paced independently", async () => {
    const [a, b] = threads();
    const id = runId("msg-pace-two");
    const started = Date.now();
    const [itemsA, itemsB] = await Promise.all([
      collect(paginateMessages(messageOptions(id, a.id))),
      collect(paginateMessages(messageOptions(id, b.id))),
    ]);
    const wall = Date.now() - started;
    assert.deepEqual(itemsA.map((m) => m.id), a.readable.slice(0, 3).map((m) => m.id));
    assert.deepEqual(itemsB.map((m) => m.id), b.readable.slice(0, 3).map((m) => m.id));
    const log = await requestsOf(ctx.mock, id);
    const timesOf = (thread) => log.filter((e) => e.path === `/${V}/${thread.id}/messages`).map((e) => e.at);
    const [ta, tb] = [timesOf(a), timesOf(b)];
    assert.deepEqual([ta.length, tb.length], [3, 3]);
    // 450, not 500: the other pager's start can hold up the event loop between the moment a
    // request takes its slot and the moment it leaves (seen: 15-25 ms); unpaced gaps are ~5 ms.
    for (const times of [ta, tb]) assert.ok(gaps(times).every((gap) => gap >= 450), `gaps ${gaps(times)} within one conversation`);
    assert.ok(Math.abs(ta[0] - tb[0]) < 250, `first requests ${Math.abs(ta[0] - tb[0])} ms apart: neither waits for the other`);
    assert.ok(wall < 2000, `${wall} ms: two keys at 2/s each (one shared key would take ≥ 2.5 s)`);
  });

  test("two pagers over the same conversation share the pace", async () => {
    const [, , c] = threads();
    const id = runId("msg-pace-same");
    const started = Date.now();
    const [one, two] = await Promise.all([
      collect(paginateMessages(messageOptions(id, c.id))),
      collect(paginateMessages(messageOptions(id, c.id))),
    ]);
    const wall = Date.now() - started;
    const expected = c.readable.slice(0, 3).map((m) => m.id);
    assert.deepEqual([one.map((m) => m.id), two.map((m) => m.id)], [expected, expected]);
    const times = (await requestsOf(ctx.mock, id)).map((e) => e.at).sort((x, y) => x - y);
    assert.equal(times.length, 6);
    assert.ok(gaps(times).every((gap) => gap >= 450), `combined gaps ${gaps(times)}`);
    assert.ok(wall >= 2450, `${wall} ms for 6 requests at 2/s`);
  });
});

describe("options kept on later pages", () => {
  test("timeoutMs (and maxRetries) apply to page 2: a slow page 2 gives TimeoutError, not a 3 s wait", async () => {
    const id = runId("timeout-page2");
    const started = Date.now();
    const { items, err } = await collectUntilError(paginateConversations(baseOptions(ctx.mock, id, "after=1;slow=3000", {
      limit: 5, timeoutMs: 300, maxRetries: 0, requestsPerSecond: 0,
    })));
    const elapsed = Date.now() - started;
    assert.ok(err instanceof TimeoutError, `${err?.name}: ${err?.message}`);
    assert.deepEqual([err.code, err.timeoutMs], ["ERR_TIMEOUT", 300]);
    assert.deepEqual(items.map((c) => c.id), expectedIds(ctx.mock).slice(0, 5));
    assert.ok(elapsed < 2000, `${elapsed} ms`);
    const log = await requestsOf(ctx.mock, id);
    assert.equal(log.length, 2, "page 1, then one attempt at page 2 (maxRetries 0 kept)");
    assert.ok(log[1].query.after, "the second request is page 2");
  });
});

describe("RateLimitError.retryAfterMs", () => {
  // `eta=A,B,C`: BUC entries messenger (A) and pages (B) for the Page, instagram (C) for its
  // Instagram account; retryAfterMs is the largest, wherever it is.
  const CASES = [["0.5,2,1.5", 120_000], ["0.001,0.002,0.005", 300], ["0.005,0.001", 300], ["0.002,0,0.001", 120]];
  for (const [etas, expected] of CASES) {
    test(`several usage entries (eta=${etas}): retryAfterMs is the largest, ${expected} ms`, async () => {
      const id = runId("retry-after");
      const err = await rejection(listConversations(baseOptions(ctx.mock, id, `error=613;eta=${etas}`, { maxRetries: 0 })));
      assert.ok(err instanceof RateLimitError, `${err?.name}: ${err?.message}`);
      assert.equal(Math.round(err.retryAfterMs), expected);
      const entries = Object.values(err.usage.businessUseCase).flat();
      assert.equal(entries.length, etas.split(",").length, "every entry was read");
      assert.equal(MOCK_IG_ACCOUNT_ID in err.usage.businessUseCase, etas.split(",").length > 2, "the third entry is under the Instagram account");
    });
  }

  test("the retry waits for the largest entry (600 ms), not the first one (60 ms)", async () => {
    const id = runId("retry-after-wait");
    const err = await rejection(listConversations(baseOptions(ctx.mock, id, "error=613;eta=0.001,0.01,0.002", { maxRetries: 1 })));
    assert.ok(err instanceof RateLimitError);
    assert.equal(Math.round(err.retryAfterMs), 600);
    const times = (await requestsOf(ctx.mock, id)).map((e) => e.at);
    assert.equal(times.length, 2);
    assert.ok(times[1] - times[0] >= 590, `retried after ${times[1] - times[0]} ms`);
  });

  test("entries without estimated_time_to_regain_access: retryAfterMs null, their minutes 0", async () => {
    const none = await rejection(listConversations(baseOptions(ctx.mock, runId("retry-after-none"), "error=613;eta=none,none", { maxRetries: 0 })));
    assert.ok(none instanceof RateLimitError);
    assert.equal(none.retryAfterMs, null);
    assert.deepEqual(none.usage.businessUseCase[MOCK_PAGE_ID].map((e) => e.estimatedTimeToRegainAccessMinutes), [0, 0]);
    const some = await rejection(listConversations(baseOptions(ctx.mock, runId("retry-after-some"), "error=613;eta=none,0.001", { maxRetries: 0 })));
    assert.equal(some.retryAfterMs, 60);
    assert.deepEqual(some.usage.businessUseCase[MOCK_PAGE_ID].map((e) => e.estimatedTimeToRegainAccessMinutes), [0, 0.001]);
  });

  test("over 60 s as the largest entry: thrown at once, no retry", async () => {
    const id = runId("retry-after-long");
    const started = Date.now();
    const err = await rejection(listConversations(baseOptions(ctx.mock, id, "error=613;eta=0.001,2,0.002")));
    assert.ok(err instanceof RateLimitError);
    assert.equal(err.retryAfterMs, 120_000);
    assert.ok(Date.now() - started < 1000);
    assert.equal((await requestsOf(ctx.mock, id)).length, 1);
  });
});
