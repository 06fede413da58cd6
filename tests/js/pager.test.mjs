// paginateConversations / paginateMessages through the npm package (Node entry) against the mock
// Graph: a randomized property test (random inboxes, page sizes, empty pages and cursor styles),
// laziness, empty/repeating pages, limits, updatedSince, onPage, toArray, options kept on every
// page, retries and errors mid-sync, abort, pacing, bad options and a thread's messages.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import {
  AuthError, GraphError, InvalidOptionsError, PagingError, paginateConversations, paginateMessages,
} from "page-conversations";

import * as browserEntry from "../../pkg/index.js";
import { mulberry32 } from "../graph-mock/inbox.mjs";
import { MOCK_APP_SECRET, MOCK_PAGE_ID, startMockGraph } from "../graph-mock/server.mjs";
import { TOKEN, collect, collectUntilError, expectedIds, hmac, rejection, runId, scenarioUrl, sleep } from "./helpers.mjs";

const V = "v25.0";
let mock;

before(async () => {
  mock = await startMockGraph({ port: 0, conversations: 250 });
  // Node loads its fetch machinery on the first call (~80 ms): done here, so that it does not
  // delay the first request of whichever test runs first (pacing measures arrival times).
  await (await fetch(`${mock.url}/__mock/health`)).text();
});
after(async () => { await mock?.close(); });

/** Options of a pager against a scenario, pacing off unless `extra` says otherwise. */
function opts(id, spec = "", extra = {}) {
  return {
    pageId: MOCK_PAGE_ID, accessToken: TOKEN, baseUrl: scenarioUrl(mock, id, spec), requestsPerSecond: 0, ...extra,
  };
}

/** The Graph requests of a run (in-process log; preflights excluded). */
const requests = (id) => mock.log(id).filter((entry) => entry.method !== "OPTIONS");

const ids = (items) => items.map((item) => item.id);
/** `date` as an ISO string of its local time, without an offset (`2026-11-20T05:00:00.000`). */
const localIso = (date) => {
  const two = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}T${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, "0")}`;
};

/** The fixed inbox's Messenger inbox threads, newest first. */
const messengerInbox = () => mock.inbox.threads.filter((t) => t.platform === "messenger" && t.folder === "inbox");

/** A Page id that no other pager of this process uses (any digits work in a random world). */
let pageCounter = 0;
const freshPageId = () => `7${String(process.pid).padStart(7, "0")}${String((pageCounter += 1)).padStart(6, "0")}`;

describe("randomized property", () => {
  test("every conversation exactly once, in order, each page fetched once (random inboxes, sizes, empty pages, cursor styles)", async (t) => {
    const seeds = [...Array.from({ length: 20 }, (_, i) => i + 1), 0, 1000, 999, 1999];
    const draw = mulberry32(20261120);
    const totals = { conversations: 0, requests: 0, emptyPages: 0, styles: new Set() };
    for (const seed of seeds) {
      const limit = 1 + Math.floor(draw() * 50);
      const truth = mock.randomInbox(seed, { limit });
      const expected = truth.conversations.map((c) => c.id);
      const label = `seed ${seed} (${truth.style}, ${truth.size} conversations, limit ${limit})`;

      const id = runId(`prop${seed}`);
      const items = await collect(paginateConversations(opts(id, `random=${seed}`, { limit })));
      assert.deepEqual(ids(items), expected, label);
      const log = requests(id);
      assert.equal(log.length, truth.pages.length, `${label}: requests = pages served`);
      assert.deepEqual(log.map((e) => e.random?.page), truth.pages.map((p) => p.page), `${label}: no page fetched twice`);
      assert.ok(log.every((e) => e.status === 200 && e.tokenIn === "header"), `${label}: ${JSON.stringify(log.map((e) => [e.status, e.tokenIn]))}`);

      // The same through pages(): never an empty page, onPage with running totals.
      const pagesId = runId(`propp${seed}`);
      const progress = [];
      const pages = await collect(paginateConversations(opts(pagesId, `random=${seed}`, {
        limit, onPage: ({ page, pageNumber, itemCount }) => progress.push([page, pageNumber, itemCount]),
      })).pages());
      const nonEmpty = truth.pages.filter((p) => !p.empty);
      assert.deepEqual(pages.map((p) => p.data.length), nonEmpty.map((p) => p.count), `${label}: pages()`);
      assert.ok(pages.every((p) => p.data.length > 0));
      assert.deepEqual(ids(pages.flatMap((p) => p.data)), expected);
      let running = 0;
      assert.deepEqual(progress.map(([, n, count]) => [n, count]), pages.map((p, n) => [n + 1, (running += p.data.length)]));
      progress.forEach(([page], n) => assert.equal(page, pages[n]));
      assert.equal(requests(pagesId).length, truth.pages.length);

      totals.conversations += expected.length;
      totals.requests += log.length;
      totals.emptyPages += truth.pages.filter((p) => p.empty && p.style !== null).length;
      totals.styles.add(truth.style);
    }
    // The seeds must exercise what they are meant to (the worlds are fixed per seed).
    assert.deepEqual([...totals.styles].sort(), ["graph", "legacy", "mixed"]);
    assert.ok(totals.emptyPages >= 20, `${totals.emptyPages} empty pages`);
    t.diagnostic(`property: ${seeds.length} seeds, ${totals.conversations} conversations, ${totals.requests} requests `
      + `(${totals.emptyPages} empty pages skipped; styles ${[...totals.styles].join("/")}), each twice (items and pages())`);
  });
});

describe("laziness", () => {
  test("creating a pager (and its pages()) fetches nothing", async () => {
    const id = runId("lazy");
    const pager = paginateConversations(opts(id));
    pager.pages();
    pager[Symbol.asyncIterator]();
    await sleep(50);
    assert.deepEqual(requests(id), []);
  });

  test("break after the first item stops fetching", async () => {
    const id = runId("break");
    let first;
    for await (const conversation of paginateConversations(opts(id, "", { limit: 5 }))) {
      first = conversation;
      break;
    }
    assert.equal(first.id, messengerInbox()[0].id);
    await sleep(50);
    assert.equal(requests(id).length, 1);
  });

  test("each page is requested only when the iterator asks past the previous one", async () => {
    const id = runId("demand");
    const iterator = paginateConversations(opts(id, "", { limit: 5 }))[Symbol.asyncIterator]();
    const expected = messengerInbox().map((t) => t.id);
    for (let n = 0; n < 5; n += 1) assert.equal((await iterator.next()).value.id, expected[n]);
    await sleep(50);
    assert.equal(requests(id).length, 1, "page 1's items consumed: still one request");
    assert.equal((await iterator.next()).value.id, expected[5]);
    assert.equal(requests(id).length, 2);
    assert.equal(requests(id)[1].query.after !== undefined, true);
    assert.deepEqual(await iterator.return(), { done: true, value: undefined });
    await sleep(50);
    assert.equal(requests(id).length, 2);
  });
});

describe("paging quirks", () => {
  test("empty=K pages are skipped: not yielded, no onPage, not counted by pageNumber or maxPages", async () => {
    const id = runId("empty");
    const seen = [];
    const pages = await collect(paginateConversations(opts(id, "empty=3", {
      limit: 4, maxPages: 2, onPage: (info) => seen.push([info.pageNumber, info.itemCount]),
    })).pages());
    assert.deepEqual(pages.map((p) => ids(p.data)), [messengerInbox().slice(0, 4).map((t) => t.id), messengerInbox().slice(4, 8).map((t) => t.id)]);
    assert.deepEqual(seen, [[1, 4], [2, 8]]);
    assert.equal(requests(id).length, 5, "3 empty pages, then 2 pages");
  });

  test("emptyforever=1: PagingError after exactly 10 empty pages", async () => {
    const id = runId("forever");
    const { items, err } = await collectUntilError(paginateConversations(opts(id, "emptyforever=1")));
    assert.ok(err instanceof PagingError && err instanceof GraphError, String(err));
    assert.equal(err.code, "ERR_PAGING");
    assert.deepEqual(items, []);
    await sleep(20);
    assert.equal(requests(id).length, 10);
  });

  test("repeat=1: PagingError at once (2 requests), never a loop", async () => {
    const id = runId("repeat");
    const { items, err } = await collectUntilError(paginateConversations(opts(id, "repeat=1", { limit: 5 })));
    assert.ok(err instanceof PagingError, String(err));
    // Page 2 (fetched with a new cursor, whose next cursor repeats it) is page 1 again: it is
    // not yielded, so nothing is repeated.
    const first = messengerInbox().slice(0, 5).map((t) => t.id);
    assert.deepEqual(ids(items), first);
    await sleep(20);
    assert.equal(requests(id).length, 2);
  });

  test("legacy=1 (links only, __paging_token) is followed to the end", async () => {
    const id = runId("legacy");
    const items = await collect(paginateConversations(opts(id, "legacy=1", { limit: 7 })));
    const expected = expectedIds(mock);
    assert.deepEqual(ids(items), expected);
    const log = requests(id);
    assert.equal(log.length, Math.ceil(expected.length / 7));
    log.slice(1).forEach((e) => {
      assert.match(e.query.__paging_token, /^enc_/);
      assert.equal(e.query.after, undefined);
      assert.equal(e.tokenIn, "header", "the link's access_token is dropped");
    });
    assert.ok(log.every((e) => e.status === 200));
  });

  test("the last page's cursors.after is never followed", async () => {
    for (const limit of [10, 19]) {
      const id = runId("last");
      const expected = expectedIds(mock);
      const pages = await collect(paginateConversations(opts(id, "", { limit })).pages());
      assert.ok(pages.at(-1).paging.nextCursor === null);
      assert.deepEqual(ids(pages.flatMap((p) => p.data)), expected);
      await sleep(30);
      const log = requests(id);
      assert.equal(log.length, Math.ceil(expected.length / limit), "no request after the last page");
      assert.ok(log.every((e) => e.status === 200), "no #2642 from continuing past the end");
    }
  });
});

describe("limits, updatedSince, onPage, toArray", () => {
  test("maxPages stops after that many pages", async () => {
    const id = runId("maxpages");
    const items = await collect(paginateConversations(opts(id, "", { limit: 4, maxPages: 3 })));
    assert.deepEqual(ids(items), expectedIds(mock).slice(0, 12));
    assert.equal(requests(id).length, 3);
  });

  test("maxItems trims the last page (pages() shows it trimmed); no page past it", async () => {
    const id = runId("maxitems");
    const pages = await collect(paginateConversations(opts(id, "", { limit: 4, maxItems: 10 })).pages());
    assert.deepEqual(pages.map((p) => p.data.length), [4, 4, 2]);
    assert.deepEqual(ids(pages.flatMap((p) => p.data)), expectedIds(mock).slice(0, 10));
    assert.equal(requests(id).length, 3);

    const exact = runId("maxitems-exact");
    const items = await collect(paginateConversations(opts(exact, "", { limit: 4, maxItems: 8 })));
    assert.equal(items.length, 8);
    assert.equal(requests(exact).length, 2, "maxItems on a page boundary fetches no third page");
  });

  test("updatedSince as a Date, epoch ms and ISO string: stops at the first older conversation, fetches no further page", async (t) => {
    const threads = messengerInbox();
    // [form, index of the last conversation not older, limit, pages fetched]
    const cases = [
      ["Date", 13, 5, 3, (ms) => new Date(ms)],
      ["epoch ms", 6, 5, 2, (ms) => ms],
      ["ISO string", 8, 5, 2, (ms) => new Date(ms).toISOString()],
      // The first older one opens page 4: that page is fetched, yields nothing, and ends paging.
      ["first item of a page", 14, 5, 4, (ms) => new Date(ms).toISOString().replace("Z", "+00:00")],
      // No offset: local time, as `new Date(string)` reads it (here New York's, set below).
      ["local ISO string", 8, 5, 2, (ms) => localIso(new Date(ms))],
    ];
    const zone = process.env.TZ;
    process.env.TZ = "America/New_York";
    t.after(() => {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    });
    assert.notEqual(new Date(2026, 10, 20).getTimezoneOffset(), 0, "the zone is not UTC");
    for (const [label, last, limit, fetched, form] of cases) {
      const since = threads[last].updatedMs;
      assert.ok(threads[last + 1].updatedMs < since, "the fixture has a strictly older next conversation");
      const id = runId("since");
      const pages = await collect(paginateConversations(opts(id, "", { limit, updatedSince: form(since) })).pages());
      const items = pages.flatMap((p) => p.data);
      const expected = threads.filter((t) => t.updatedMs >= since).map((t) => t.id);
      assert.deepEqual(ids(items), expected, label);
      assert.deepEqual(ids(items), threads.slice(0, last + 1).map((t) => t.id), label);
      assert.ok(pages.every((p) => p.data.length > 0), `${label}: no empty page yielded`);
      await sleep(20);
      assert.equal(requests(id).length, fetched, `${label}: pages fetched`);
    }
  });

  test("updatedSince adds updated_time to fields when they lack it", async () => {
    const since = messengerInbox()[12].updatedMs;
    // [fields option, fields expected on the wire (as a set), or undefined when none is sent]
    const cases = [
      ["id,snippet", ["id", "snippet", "updated_time"]],
      [["id", "snippet"], ["id", "snippet", "updated_time"]],
      ["snippet,updated_time", ["snippet", "updated_time"]],
      [undefined, undefined],
    ];
    for (const [fields, wire] of cases) {
      const id = runId("since-fields");
      const items = await collect(paginateConversations(opts(id, "", { limit: 5, fields, updatedSince: since })));
      assert.equal(items.length, 13, JSON.stringify(fields));
      assert.ok(items.every((c) => typeof c.updated_time === "string"));
      const log = requests(id);
      assert.equal(log.length, 3);
      for (const entry of log) {
        if (wire === undefined) {
          assert.equal(entry.query.fields, undefined);
        } else {
          const sent = entry.query.fields.split(",").map((f) => f.trim());
          assert.deepEqual([...sent].sort(), [...wire].sort(), `${JSON.stringify(fields)} sent as ${entry.query.fields}`);
        }
      }
    }
    // Without updatedSince, fields are sent as given.
    const plain = runId("fields-plain");
    await collect(paginateConversations(opts(plain, "", { limit: 5, maxPages: 1, fields: "id,snippet" })));
    assert.equal(requests(plain)[0].query.fields, "id,snippet");
  });

  test("onPage receives { page, pageNumber, itemCount } with running totals, for each page yielded", async () => {
    const id = runId("onpage");
    const seen = [];
    const yielded = [];
    for await (const page of paginateConversations(opts(id, "", {
      limit: 6, maxItems: 20, onPage: (info) => seen.push(info),
    })).pages()) {
      assert.equal(seen.length, yielded.length + 1, "onPage is called before the page is yielded");
      yielded.push(page);
    }
    assert.deepEqual(seen.map((i) => [i.pageNumber, i.itemCount, i.page.data.length]), [[1, 6, 6], [2, 12, 6], [3, 18, 6], [4, 20, 2]]);
    seen.forEach((info, n) => {
      assert.deepEqual(Object.keys(info).sort(), ["itemCount", "page", "pageNumber"]);
      assert.deepEqual(info.page, yielded[n]);
      assert.deepEqual(Object.keys(info.page).sort(), ["data", "paging", "usage"]);
    });
  });

  test("toArray({ limit }) returns exactly limit items, or fewer at the end; without a limit it throws at once", async () => {
    const id = runId("toarray");
    const seven = await paginateConversations(opts(id, "", { limit: 5 })).toArray({ limit: 7 });
    assert.deepEqual(ids(seven), expectedIds(mock).slice(0, 7));
    assert.equal(requests(id).length, 2);

    const small = runId("toarray-small");
    const truth = mock.randomInbox(15);
    assert.equal(truth.size, 3);
    const all = await paginateConversations(opts(small, "random=15", { limit: 2 })).toArray({ limit: 1000 });
    assert.deepEqual(ids(all), truth.conversations.map((c) => c.id));

    const refused = runId("toarray-refused");
    const pager = paginateConversations(opts(refused));
    for (const bad of [undefined, {}, { limit: 0 }, { limit: -1 }, { limit: 1.5 }, { limit: "3" }]) {
      assert.throws(() => pager.toArray(bad), (err) => err instanceof InvalidOptionsError && err.option === "limit", JSON.stringify(bad));
    }
    await sleep(20);
    assert.deepEqual(requests(refused), []);
  });
});

describe("every option of the one-page call is kept on every page", () => {
  const FIELDS = "id,updated_time,snippet,participants{id}";
  // [label, spec, options, expected ids]
  const cases = () => [
    ["Graph cursors, token in the query, timed proof", "requireproof=1",
      { tokenIn: "query", appSecret: MOCK_APP_SECRET, timedAppSecretProof: true, platform: "messenger", folder: "other" },
      expectedIds(mock, { platform: "messenger", folder: "other" })],
    ["legacy links, token in the query, timed proof", "requireproof=1;legacy=1",
      { tokenIn: "query", appSecret: MOCK_APP_SECRET, timedAppSecretProof: true, platform: "messenger", folder: "other" },
      expectedIds(mock, { platform: "messenger", folder: "other" })],
    ["random mixed styles with empty pages, token in a header, plain proof", "requireproof=1;random=9;emptyrate=30",
      { tokenIn: "header", appSecret: MOCK_APP_SECRET, platform: "instagram", folder: "inbox" },
      mock.randomInbox(9, { emptyRate: 0.3 }).conversations.map((c) => c.id)],
  ];

  test("token placement, proof, fields and filters on each request; never two tokens", async () => {
    for (const [label, spec, extra, expected] of cases()) {
      const id = runId("kept");
      const items = await collect(paginateConversations(opts(id, spec, { limit: 4, fields: FIELDS, ...extra })));
      assert.deepEqual(ids(items), expected, label);
      const log = requests(id);
      assert.ok(log.length >= 3, `${label}: ${log.length} pages`);
      const now = Date.now() / 1000;
      for (const entry of log) {
        assert.equal(entry.status, 200, `${label}: ${JSON.stringify(entry)}`);
        assert.equal(entry.tokenIn, extra.tokenIn, label);
        assert.equal(entry.query.fields, FIELDS, label);
        assert.equal(entry.query.platform, extra.platform, label);
        assert.equal(entry.query.folder, extra.folder, label);
        assert.equal(entry.query.limit, "4", label);
        assert.equal(entry.query.access_token, undefined);
        for (const value of Object.values(entry.query)) assert.equal(typeof value, "string", `${label}: no repeated parameter`);
        if (extra.timedAppSecretProof) {
          assert.match(entry.proofTime, /^\d+$/, `${label}: appsecret_time on every page`);
          assert.ok(Math.abs(Number(entry.proofTime) - now) < 60);
          assert.equal(entry.proof, hmac(MOCK_APP_SECRET, `${TOKEN}|${entry.proofTime}`), label);
        } else {
          assert.equal(entry.proofTime, null);
          assert.equal(entry.proof, hmac(MOCK_APP_SECRET, TOKEN), label);
        }
      }
    }
  });
});

describe("the options are read once, when the pager is created", () => {
  const entries = [["Node entry", paginateConversations], ["browser entry (module loaded)", browserEntry.paginateConversations]];
  for (const [label, paginate] of entries) {
    test(`${label}: changing the options object afterwards changes nothing, on any iteration`, async () => {
      await browserEntry.init();
      const id = runId("snapshot");
      const fields = ["id", "updated_time"];
      const options = opts(id, "", { limit: 4, fields, maxPages: 2, tokenIn: "query", platform: "messenger" });
      const pager = paginate(options);
      Object.assign(options, { pageId: "not a page", accessToken: "EAAchanged", limit: 2, maxPages: 1, tokenIn: "header", platform: "instagram" });
      fields.push("snippet");
      const first = await collect(pager);
      const second = await collect(pager.pages());
      assert.equal(first.length, 8, label);
      assert.deepEqual(second.flatMap((page) => ids(page.data)), ids(first), label);
      const log = requests(id);
      assert.equal(log.length, 4);
      for (const entry of log) {
        assert.deepEqual([entry.status, entry.tokenIn, entry.query.limit, entry.query.fields, entry.query.platform],
          [200, "query", "4", "id,updated_time", "messenger"], label);
      }
    });
  }
});

describe("retries and errors mid-sync", () => {
  test("a transient HTML 502 on page 2 is retried; nothing lost or repeated", async () => {
    const id = runId("retry");
    const items = await collect(paginateConversations(opts(id, "after=1;times=1;html=502", { limit: 10 })));
    const expected = expectedIds(mock);
    assert.deepEqual(ids(items), expected);
    const log = requests(id);
    assert.equal(log.length, Math.ceil(expected.length / 10) + 1);
    assert.deepEqual(log.map((e) => e.faulted), log.map((_, n) => n === 1));
    assert.equal(log[1].status, 502);
    assert.deepEqual(log[2].query, log[1].query, "the retry asks for the same page");
  });

  test("an auth error on page 3 throws AuthError after yielding pages 1-2 only", async () => {
    const id = runId("auth");
    const { items: pages, err } = await collectUntilError(paginateConversations(opts(id, "after=2;error=190.463", { limit: 5 })).pages());
    assert.ok(err instanceof AuthError, String(err));
    assert.equal(err.graphCode, 190);
    assert.equal(err.graphSubcode, 463);
    assert.deepEqual(pages.map((p) => ids(p.data)), [expectedIds(mock).slice(0, 5), expectedIds(mock).slice(5, 10)]);
    await sleep(20);
    assert.equal(requests(id).length, 3, "auth errors are not retried");
  });
});

describe("signal", () => {
  test("aborting during a page fetch rejects with exactly signal.reason, at once", async () => {
    for (const reason of ["stop: user left", undefined]) {
      const id = runId("abort-fetch");
      const controller = new AbortController();
      const iterator = paginateConversations(opts(id, "after=1;slow=5000", { limit: 5, signal: controller.signal }))[Symbol.asyncIterator]();
      for (let n = 0; n < 5; n += 1) await iterator.next();
      const pending = iterator.next();
      await sleep(100);
      assert.equal(requests(id).length, 2, "page 2 is being fetched");
      const abortedAt = Date.now();
      controller.abort(reason);
      const err = await rejection(pending);
      const elapsed = Date.now() - abortedAt;
      assert.equal(err, controller.signal.reason, "rejects with signal.reason itself");
      if (reason !== undefined) assert.equal(err, reason);
      assert.ok(elapsed < 300, `rejected ${elapsed} ms after the abort`);
      assert.deepEqual(await iterator.next(), { done: true, value: undefined });
    }
  });

  test("aborting during a pacing wait rejects at once; afterwards a new pager works", async (t) => {
    const id = runId("abort-pace");
    const pageId = freshPageId();
    const controller = new AbortController();
    const reason = "stop: pacing";
    const spec = "random=300;size=40;emptyrate=0";
    const iterator = paginateConversations(opts(id, spec, { pageId, limit: 5, requestsPerSecond: 0.5, signal: controller.signal })).pages()[Symbol.asyncIterator]();
    assert.equal((await iterator.next()).done, false);
    const pending = iterator.next();
    await sleep(150);
    assert.equal(requests(id).length, 1, "page 2 waits for its pacing slot");
    const abortedAt = Date.now();
    controller.abort(reason);
    const err = await rejection(pending);
    const elapsed = Date.now() - abortedAt;
    assert.equal(err, reason);
    assert.ok(elapsed < 300, `rejected ${elapsed} ms after the abort`);
    t.diagnostic(`pacing wait aborted: rejected ${elapsed} ms after abort()`);
    await sleep(50);
    assert.equal(requests(id).length, 1);

    const again = runId("after-abort");
    const items = await paginateConversations(opts(again, spec, { pageId, limit: 5 })).toArray({ limit: 12 });
    assert.deepEqual(ids(items), mock.randomInbox(300, { size: 40, emptyRate: 0 }).conversations.slice(0, 12).map((c) => c.id));
  });
});

describe("pacing", () => {
  test("default 2 per second per pageId, shared by pagers of one pageId, independent across pageIds", async (t) => {
    const spec = "random=301;size=400;emptyrate=0";
    const single = { id: runId("pace-a"), pageId: freshPageId() };
    const shared = [runId("pace-b1"), runId("pace-b2")];
    const sharedPageId = freshPageId();
    const other = runId("pace-c");
    const base = (id, pageId, extra) => {
      const options = opts(id, spec, { pageId, limit: 3, ...extra });
      delete options.requestsPerSecond; // the default
      return options;
    };
    // Warm up first (measured arrival gaps must not include one-time costs of the first
    // request: the mock building the random world, cold code paths in the package and in fetch).
    mock.randomInbox(301, { size: 400, emptyRate: 0 });
    await paginateConversations(opts(runId("pace-warm"), spec, { pageId: freshPageId(), limit: 3 })).toArray({ limit: 6 });

    const started = Date.now();
    const results = await Promise.all([
      collect(paginateConversations(base(single.id, single.pageId, { maxPages: 10 }))),
      collect(paginateConversations(base(shared[0], sharedPageId, { maxPages: 5 }))),
      collect(paginateConversations(base(shared[1], sharedPageId, { maxPages: 5 }))),
      collect(paginateConversations(base(other, "me", { maxPages: 4 }))),
    ]);
    const wall = Date.now() - started;
    assert.ok(results.every((items) => items.length > 0));

    const gaps = (times) => times.slice(1).map((at, n) => at - times[n]);
    const rate = (times) => (times.length - 1) / ((times.at(-1) - times[0]) / 1000);

    const a = requests(single.id).map((e) => e.at);
    assert.equal(a.length, 10);
    assert.ok(Math.min(...gaps(a)) >= 490, `single pager gaps ${gaps(a)}`);
    const rateA = rate(a);
    assert.ok(rateA <= 2.02 && rateA >= 1.8, `single pager rate ${rateA}`);

    const b1 = requests(shared[0]).map((e) => e.at);
    const b2 = requests(shared[1]).map((e) => e.at);
    const b = [...b1, ...b2].sort((x, y) => x - y);
    assert.equal(b.length, 10);
    assert.ok(Math.min(...gaps(b)) >= 490, `combined gaps of two pagers of one pageId ${gaps(b)}`);
    assert.ok(b2[0] < b1.at(-1) && b1[0] < b2.at(-1), "the two pagers interleave");
    const rateB = rate(b);
    assert.ok(rateB <= 2.02, `combined rate ${rateB}`);

    const c = requests(other).map((e) => e.at);
    assert.equal(c.length, 4);
    assert.ok(Math.min(...gaps(c)) >= 490);
    // Different pageIds do not wait for each other: each key's first request goes out at once,
    // and the three keys together run well above one key's rate.
    for (const first of [a[0], b[0], c[0]]) assert.ok(first - started < 150, `first request after ${first - started} ms`);
    // One pageId allows 3 requests in 1.3 s (at 0, ~0.5 and ~1 s); three independent ones 9.
    const window = [...a, ...b, ...c].filter((at) => at < started + 1300).length;
    assert.ok(window >= 8, `${window} requests in the first 1.3 s across 3 pageIds`);
    t.diagnostic(`pacing: single pager ${rateA.toFixed(3)} req/s (min gap ${Math.min(...gaps(a))} ms), `
      + `two pagers of one pageId ${rateB.toFixed(3)} req/s combined (min gap ${Math.min(...gaps(b))} ms), `
      + `${window} requests in the first 1.3 s across 3 pageIds; wall ${wall} ms`);
  });
});

describe("bad options", () => {
  test("paginateConversations throws InvalidOptionsError synchronously, with no request sent", async () => {
    const id = runId("bad");
    const cases = [
      [{ before: "abc" }, "before"],
      [{ maxPages: 0 }, "maxPages"],
      [{ maxItems: 1.5 }, "maxItems"],
      [{ requestsPerSecond: -1 }, "requestsPerSecond"],
      [{ updatedSince: "yesterday" }, "updatedSince"],
      [{ updatedSince: new Date(Number.NaN) }, "updatedSince"],
      [{ onPage: 5 }, "onPage"],
      [{ pageId: "page" }, "pageId"],
      [{ limit: 0 }, "limit"],
      [{ after: "x", before: "y" }, null],
    ];
    for (const [bad, option] of cases) {
      let pager;
      assert.throws(() => { pager = paginateConversations(opts(id, "", bad)); }, (err) => {
        assert.ok(err instanceof InvalidOptionsError && err instanceof GraphError, String(err));
        assert.equal(err.code, "ERR_INVALID_OPTIONS");
        if (option !== null) assert.equal(err.option, option, JSON.stringify(bad));
        return true;
      }, JSON.stringify(bad));
      assert.equal(pager, undefined);
    }
    assert.throws(() => paginateMessages({ conversationId: "t_1", accessToken: TOKEN, before: "abc" }), InvalidOptionsError);
    assert.throws(() => paginateMessages({ conversationId: "..", accessToken: TOKEN }), InvalidOptionsError);
    await sleep(20);
    assert.deepEqual(requests(id), []);
  });
});

describe("paginateMessages", () => {
  test("a thread's messages, all exactly once, newest first (limit 3)", async () => {
    const thread = [...mock.inbox.threads].sort((x, y) => y.readable.length - x.readable.length)[0];
    assert.ok(thread.readable.length >= 20);
    const id = runId("messages");
    const base = { conversationId: thread.id, accessToken: TOKEN, baseUrl: scenarioUrl(mock, id), requestsPerSecond: 0, limit: 3 };
    const messages = await collect(paginateMessages(base));
    assert.deepEqual(ids(messages), thread.readable.map((m) => m.id));
    const times = messages.map((m) => Date.parse(m.created_time.replace("+0000", "Z")));
    assert.deepEqual(times, [...times].sort((x, y) => y - x), "newest first");
    const log = requests(id);
    assert.equal(log.length, Math.ceil(thread.readable.length / 3));
    assert.ok(log.every((e) => e.path === `/${V}/${thread.id}/messages` && e.status === 200));
  });

  test("a random world's thread: random page sizes, empty pages, legacy links", async () => {
    const seed = 14;
    const truthInbox = mock.randomInbox(seed);
    const conversation = truthInbox.conversations.find((c) => c.message_count >= 40);
    const truth = mock.randomMessages(seed, conversation.id, { limit: 7, emptyRate: 0.3 });
    const id = runId("messages-random");
    const pages = await collect(paginateMessages({
      conversationId: conversation.id, accessToken: TOKEN, baseUrl: scenarioUrl(mock, id, `random=${seed};emptyrate=30`),
      requestsPerSecond: 0, limit: 7,
    }).pages());
    assert.deepEqual(ids(pages.flatMap((p) => p.data)), truth.messages.map((m) => m.id));
    assert.ok(pages.every((p) => p.data.length > 0));
    assert.equal(requests(id).length, truth.pages.length);
    assert.ok(truth.pages.some((p) => p.empty), "the plan has empty pages");
  });
});

describe("short tokens", () => {
  test("a token that also appears in Graph's keys and parameter names breaks nothing", async () => {
    for (const [accessToken, spec] of [["data", ""], ["tok", "legacy=1"], ["paging", "legacy=1"]]) {
      const id = runId("short");
      const pager = paginateConversations(opts(id, spec, { accessToken, limit: 40, tokenIn: "query", fields: "id,updated_time,messages.limit(1){id}" }));
      const pages = [];
      for await (const page of pager.pages()) pages.push(page);
      const items = pages.flatMap((page) => page.data);
      assert.deepEqual(ids(items), expectedIds(mock), `${accessToken} ${spec}`);
      assert.equal(requests(id).length, pages.length, "no page fetched twice, no growing query");
      for (const entry of requests(id)) assert.equal(entry.tokenIn, "query");
    }
  });
});

describe("concurrency", () => {
  test("concurrent next() calls never fetch a page twice", async () => {
    const id = runId("concurrent");
    const pages = paginateConversations(opts(id, "", { limit: 4 })).pages()[Symbol.asyncIterator]();
    const steps = await Promise.all([pages.next(), pages.next(), pages.next()]);
    const got = steps.map((step) => ids(step.value.data));
    assert.deepEqual(got.flat(), expectedIds(mock).slice(0, 12));
    assert.equal(requests(id).length, 3);
    const items = paginateConversations(opts(runId("concurrent-items"), "", { limit: 3 }))[Symbol.asyncIterator]();
    const firstSix = await Promise.all(Array.from({ length: 6 }, () => items.next()));
    assert.deepEqual(firstSix.map((step) => step.value.id), expectedIds(mock).slice(0, 6));
  });
});
