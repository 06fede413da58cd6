// listConversations / listMessages through the npm package (Node entry) against the mock Graph:
// data untouched, cursor semantics and paging quirks, filters and fields on the wire, token
// placement, appsecret_proof variants, usage headers, and a thread's messages.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import * as nodeEntry from "page-conversations";
import * as browserEntry from "../../pkg/index.js";

import {
  GRAPH_API_VERSION, appSecretProof, listConversations, listMessages,
} from "page-conversations";

import {
  MOCK_APP_SECRET, MOCK_PAGE_ID, TOKEN, baseOptions, expectedIds, hmac, requestsOf, runId,
  scenarioUrl, useMock,
} from "./helpers.mjs";

const ctx = useMock();
const V = "v25.0";
const ALL_FIELDS = "id,updated_time,link,snippet,message_count,unread_count,participants,senders,can_reply,is_subscribed,name,subject,scoped_thread_key,folder";

/** Graph's raw answer for `path?params` (token in the query), fetched directly. */
async function raw(path, params = {}, spec = "") {
  const url = new URL(`${scenarioUrl(ctx.mock, runId("raw"), spec)}${path}`);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  url.searchParams.set("access_token", TOKEN);
  const res = await fetch(url);
  assert.equal(res.status, 200);
  return res.json();
}

/** Every page of a listing, following nextCursor from `first` options. */
async function walk(options, list = listConversations) {
  const pages = [await list(options)];
  while (pages.at(-1).paging.nextCursor !== null) {
    assert.ok(pages.length < 50, "paging does not end");
    pages.push(await list({ ...options, after: pages.at(-1).paging.nextCursor }));
  }
  return pages;
}

const ids = (page) => page.data.map((item) => item.id);

describe("a page", () => {
  test("data is Graph's objects untouched, as a raw fetch of the same URL gives them", async () => {
    const id = runId("untouched");
    const page = await listConversations(baseOptions(ctx.mock, id, "", { limit: 6, fields: ALL_FIELDS }));
    const graph = await raw(`/${V}/${MOCK_PAGE_ID}/conversations`, { limit: "6", fields: ALL_FIELDS });
    assert.deepEqual(Object.keys(page).sort(), ["data", "paging", "usage"]);
    assert.equal(page.data.length, 6);
    assert.deepEqual(page.data, graph.data);
    page.data.forEach((item, i) => assert.deepEqual(Object.keys(item), Object.keys(graph.data[i])));
    assert.ok(page.data.some((c) => "message_count" in c && "updated_time" in c && "can_reply" in c));
    assert.ok(page.data.every((c) => !("messageCount" in c) && !("updatedTime" in c)));
  });

  test("nested messages links lose only the token: cursors and other parameters stay", async () => {
    const fields = "id,messages.limit(2){id,message}";
    const page = await listConversations(baseOptions(ctx.mock, runId("nested"), "", { limit: 4, fields, tokenIn: "query" }));
    const graph = await raw(`/${V}/${MOCK_PAGE_ID}/conversations`, { limit: "4", fields });
    assert.equal(page.data.length, 4);
    page.data.forEach((conversation, i) => {
      const expected = graph.data[i];
      assert.equal(conversation.id, expected.id);
      assert.deepEqual(conversation.messages.data, expected.messages.data);
      assert.deepEqual(conversation.messages.paging.cursors, expected.messages.paging.cursors);
      const got = new URL(conversation.messages.paging.next);
      const want = new URL(expected.messages.paging.next);
      const unprefixed = (url) => url.pathname.replace(/^\/_\/[^/]*/, "");
      assert.equal(unprefixed(got), `/${V}/${conversation.id}/messages`);
      assert.equal(unprefixed(want), unprefixed(got));
      assert.equal(want.searchParams.get("access_token"), TOKEN, "Graph put the token in the link");
      assert.equal(got.searchParams.has("access_token"), false);
      want.searchParams.delete("access_token");
      assert.deepEqual([...got.searchParams], [...want.searchParams]);
    });
  });
});

describe("cursors", () => {
  test("first page: nextCursor set, previousCursor null; one-page listing: both null despite cursors.after", async () => {
    const first = await listConversations(baseOptions(ctx.mock, runId("first"), "", { limit: 10 }));
    assert.equal(typeof first.paging.nextCursor, "string");
    assert.ok(first.paging.nextCursor.length > 0);
    assert.equal(first.paging.previousCursor, null);

    const whole = await listConversations(baseOptions(ctx.mock, runId("whole"), "", { limit: 100 }));
    const graph = await raw(`/${V}/${MOCK_PAGE_ID}/conversations`, { limit: "100" });
    assert.ok(graph.paging.cursors.after, "Graph sends cursors.after on the last page");
    assert.equal(graph.paging.next, undefined);
    assert.deepEqual(ids(whole), expectedIds(ctx.mock));
    assert.deepEqual(whole.paging, { nextCursor: null, previousCursor: null });
  });

  test("last page: cursors.after is not turned into a nextCursor; previousCursor set", async () => {
    const all = expectedIds(ctx.mock);
    const limit = all.length - 3;
    const first = await listConversations(baseOptions(ctx.mock, runId("last"), "", { limit }));
    const last = await listConversations(baseOptions(ctx.mock, runId("last"), "", { limit, after: first.paging.nextCursor }));
    const graph = await raw(`/${V}/${MOCK_PAGE_ID}/conversations`, { limit: String(limit), after: first.paging.nextCursor });
    assert.ok(graph.paging.cursors.after && !graph.paging.next && graph.paging.previous);
    assert.deepEqual(ids(last), all.slice(limit));
    assert.equal(last.paging.nextCursor, null);
    assert.equal(typeof last.paging.previousCursor, "string");
  });

  test("after walks every page once, before goes back to the previous page", async () => {
    const id = runId("walk");
    const pages = await walk(baseOptions(ctx.mock, id, "", { limit: 10 }));
    assert.deepEqual(pages.flatMap(ids), expectedIds(ctx.mock));
    assert.equal(pages.length, Math.ceil(expectedIds(ctx.mock).length / 10));
    pages.slice(1).forEach((page) => assert.notEqual(page.paging.previousCursor, null));
    const log = await requestsOf(ctx.mock, id);
    assert.deepEqual(log.map((e) => e.query.after), [undefined, ...pages.slice(0, -1).map((p) => p.paging.nextCursor)]);

    const back = await listConversations(baseOptions(ctx.mock, id, "", { limit: 10, before: pages.at(-1).paging.previousCursor }));
    assert.deepEqual(ids(back), ids(pages.at(-2)));
    assert.equal(log.length + 1, (await requestsOf(ctx.mock, id)).length);
  });

  test("limit 1: Graph's before == after is not an end marker", async () => {
    const all = expectedIds(ctx.mock);
    const options = baseOptions(ctx.mock, runId("one"), "", { limit: 1 });
    const first = await listConversations(options);
    const second = await listConversations({ ...options, after: first.paging.nextCursor });
    const graph = await raw(`/${V}/${MOCK_PAGE_ID}/conversations`, { limit: "1", after: first.paging.nextCursor });
    assert.equal(graph.paging.cursors.before, graph.paging.cursors.after);
    assert.deepEqual(ids(second), [all[1]]);
    assert.notEqual(second.paging.nextCursor, null);
    assert.notEqual(second.paging.previousCursor, null);
    const third = await listConversations({ ...options, after: second.paging.nextCursor });
    const back = await listConversations({ ...options, before: second.paging.previousCursor });
    assert.deepEqual(ids(third), [all[2]]);
    assert.deepEqual(ids(back), [all[0]]);
  });

  test("legacy next-URL-only paging (legacy=1) continues through every page, none lost or repeated", async () => {
    const graph = await raw(`/${V}/${MOCK_PAGE_ID}/conversations`, { limit: "7" }, "legacy=1");
    assert.equal(graph.paging.cursors, undefined, "the scenario gives links only");
    assert.ok(graph.paging.next.includes("__paging_token"));

    const id = runId("legacy");
    const options = baseOptions(ctx.mock, id, "legacy=1;requireproof=1", {
      limit: 7, fields: "id,snippet", tokenIn: "query", appSecret: MOCK_APP_SECRET,
    });
    const pages = await walk(options);
    assert.deepEqual(pages.flatMap(ids), expectedIds(ctx.mock));
    assert.equal(pages.length, Math.ceil(expectedIds(ctx.mock).length / 7));
    assert.ok(pages.every((p) => p.data.every((c) => Object.keys(c).join() === "id,snippet" || Object.keys(c).join() === "snippet,id")));
    const log = await requestsOf(ctx.mock, id);
    assert.equal(log.length, pages.length);
    for (const entry of log) {
      assert.equal(entry.status, 200);
      assert.equal(entry.tokenIn, "query", "the token is sent once, not again from the link");
      assert.equal(entry.proof, hmac(MOCK_APP_SECRET, TOKEN));
      assert.equal(entry.query.fields, "id,snippet");
    }
    assert.ok(log.slice(1).every((e) => typeof e.query.__paging_token === "string"));

    const back = await listConversations({ ...options, before: pages[2].paging.previousCursor });
    assert.deepEqual(ids(back), ids(pages[1]));
  });

  test("legacy paging with the token in the header never sends it twice", async () => {
    const id = runId("legacy-header");
    const options = baseOptions(ctx.mock, id, "legacy=1", { limit: 20 });
    const pages = await walk(options);
    assert.deepEqual(pages.flatMap(ids), expectedIds(ctx.mock));
    const log = await requestsOf(ctx.mock, id);
    assert.deepEqual(log.map((e) => [e.tokenIn, e.status]), pages.map(() => ["header", 200]));
  });

  test("empty pages that still have a next give a nextCursor (empty=2)", async () => {
    const options = baseOptions(ctx.mock, runId("empty"), "empty=2", { limit: 5 });
    const one = await listConversations(options);
    const two = await listConversations({ ...options, after: one.paging.nextCursor });
    const three = await listConversations({ ...options, after: two.paging.nextCursor });
    assert.deepEqual([one.data, two.data], [[], []]);
    assert.equal(typeof one.paging.nextCursor, "string");
    assert.equal(typeof two.paging.nextCursor, "string");
    assert.notEqual(one.paging.nextCursor, two.paging.nextCursor);
    assert.deepEqual(ids(three), expectedIds(ctx.mock).slice(0, 5));

    const legacy = baseOptions(ctx.mock, runId("empty-legacy"), "empty=1;legacy=1", { limit: 5 });
    const empty = await listConversations(legacy);
    assert.deepEqual(empty.data, []);
    assert.notEqual(empty.paging.nextCursor, null);
    assert.deepEqual(ids(await listConversations({ ...legacy, after: empty.paging.nextCursor })), expectedIds(ctx.mock).slice(0, 5));
  });
});

describe("request parameters", () => {
  test("platform (case-insensitive), folder and userId reach Graph; omitted ones are not sent", async () => {
    const id = runId("filters");
    const instagram = await listConversations(baseOptions(ctx.mock, id, "", { platform: "INSTAGRAM", limit: 100 }));
    assert.deepEqual(ids(instagram), expectedIds(ctx.mock, { platform: "instagram" }));
    const spam = await listConversations(baseOptions(ctx.mock, id, "", { folder: "spam", platform: "Messenger" }));
    assert.deepEqual(ids(spam), expectedIds(ctx.mock, { folder: "spam" }));
    const thread = ctx.mock.inbox.threads.find((t) => t.folder === "page_done" && t.platform === "messenger");
    const person = await listConversations(baseOptions(ctx.mock, id, "", { userId: thread.person.id }));
    assert.deepEqual(ids(person), [thread.id]);
    await listConversations(baseOptions(ctx.mock, id));

    const [a, b, c, d] = (await requestsOf(ctx.mock, id)).map((e) => e.query);
    assert.equal(a.platform.toLowerCase(), "instagram");
    assert.equal(b.platform.toLowerCase(), "messenger");
    assert.equal(b.folder, "spam");
    assert.equal(c.user_id, thread.person.id);
    assert.deepEqual(d, {});
  });

  test("fields as a string or an array, limit, apiVersion, pageId me", async () => {
    const id = runId("fields");
    const asString = await listConversations(baseOptions(ctx.mock, id, "", { fields: "id,snippet,message_count", limit: 4 }));
    const asArray = await listConversations(baseOptions(ctx.mock, id, "", { fields: ["id", "snippet", "message_count"], limit: 4 }));
    assert.deepEqual(asArray.data, asString.data);
    assert.equal(asString.data.length, 4);
    assert.deepEqual(Object.keys(asString.data[0]), ["id", "snippet", "message_count"]);
    await listConversations(baseOptions(ctx.mock, id, "", { fields: ["id", "messages.limit(1){id,from}"], apiVersion: "v21.0" }));
    const me = await listConversations(baseOptions(ctx.mock, id, "", { pageId: "me", limit: 100 }));
    assert.deepEqual(ids(me), expectedIds(ctx.mock, { platform: "instagram" }));

    const log = await requestsOf(ctx.mock, id);
    assert.deepEqual(log.map((e) => e.query.fields), ["id,snippet,message_count", "id,snippet,message_count", "id,messages.limit(1){id,from}", undefined]);
    assert.deepEqual(log.map((e) => e.query.limit), ["4", "4", undefined, "100"]);
    assert.equal(GRAPH_API_VERSION, V);
    assert.deepEqual(log.map((e) => e.path), [
      `/${V}/${MOCK_PAGE_ID}/conversations`, `/${V}/${MOCK_PAGE_ID}/conversations`,
      `/v21.0/${MOCK_PAGE_ID}/conversations`, `/${V}/me/conversations`,
    ]);
  });

  test("baseUrl keeps its path prefix, with or without a trailing slash", async () => {
    const id = runId("prefix");
    for (const baseUrl of [scenarioUrl(ctx.mock, id), `${scenarioUrl(ctx.mock, id)}/`]) {
      const page = await listConversations({ pageId: MOCK_PAGE_ID, accessToken: TOKEN, baseUrl, limit: 2 });
      assert.deepEqual(ids(page), expectedIds(ctx.mock).slice(0, 2));
    }
    const log = await requestsOf(ctx.mock, id);
    assert.deepEqual(log.map((e) => [e.path, e.status]), [[`/${V}/${MOCK_PAGE_ID}/conversations`, 200], [`/${V}/${MOCK_PAGE_ID}/conversations`, 200]]);
  });

  test("tokenIn: header by default in Node, query on request", async () => {
    const id = runId("token");
    await listConversations(baseOptions(ctx.mock, id));
    await listConversations(baseOptions(ctx.mock, id, "", { tokenIn: "header" }));
    await listConversations(baseOptions(ctx.mock, id, "", { tokenIn: "query" }));
    const log = await requestsOf(ctx.mock, id);
    assert.deepEqual(log.map((e) => [e.tokenIn, e.tokenOk, e.headers.includes("authorization")]), [
      ["header", true, true], ["header", true, true], ["query", true, false],
    ]);
  });
});

describe("appsecret_proof", () => {
  test("appSecret: plain proof on the request, accepted by a mock that requires it", async () => {
    const id = runId("proof");
    const page = await listConversations(baseOptions(ctx.mock, id, "requireproof=1", { appSecret: MOCK_APP_SECRET, limit: 3 }));
    assert.equal(page.data.length, 3);
    const [entry] = await requestsOf(ctx.mock, id);
    assert.deepEqual([entry.proof, entry.proofTime, entry.status], [hmac(MOCK_APP_SECRET, TOKEN), null, 200]);
  });

  test("timedAppSecretProof: appsecret_time and a fresh timed proof on every attempt", async () => {
    const id = runId("timed");
    const started = Math.floor(Date.now() / 1000);
    await listConversations(baseOptions(ctx.mock, id, "requireproof=1;error=1;times=1", {
      appSecret: MOCK_APP_SECRET, timedAppSecretProof: true, maxRetries: 1,
    }));
    const log = await requestsOf(ctx.mock, id);
    assert.equal(log.length, 2);
    for (const entry of log) {
      const time = Number(entry.proofTime);
      assert.ok(Number.isInteger(time) && time >= started - 1 && time <= Date.now() / 1000 + 1, entry.proofTime);
      assert.equal(entry.proof, hmac(MOCK_APP_SECRET, `${TOKEN}|${entry.proofTime}`));
    }
    assert.deepEqual(log.map((e) => e.status), [500, 200]);
  });

  test("appSecretProof (+ appSecretTime) given by a backend are sent as they are", async () => {
    const id = runId("given");
    const time = Math.floor(Date.now() / 1000) - 5;
    const timed = await appSecretProof(TOKEN, MOCK_APP_SECRET, time);
    const plain = await appSecretProof(TOKEN, MOCK_APP_SECRET);
    await listConversations(baseOptions(ctx.mock, id, "requireproof=1", { appSecretProof: timed, appSecretTime: time }));
    await listConversations(baseOptions(ctx.mock, id, "requireproof=1", { appSecretProof: plain }));
    const log = await requestsOf(ctx.mock, id);
    assert.deepEqual(log.map((e) => [e.proof, e.proofTime, e.status]), [[timed, String(time), 200], [plain, null, 200]]);
  });

  test("appSecretProof() is the hex HMAC-SHA256 of the token (or token|time)", async () => {
    const promise = appSecretProof(TOKEN, "s3cret");
    assert.ok(promise instanceof Promise);
    assert.equal(await promise, hmac("s3cret", TOKEN));
    assert.equal(await appSecretProof(TOKEN, "s3cret", 1795166930), hmac("s3cret", `${TOKEN}|1795166930`));
    assert.match(await appSecretProof("x", "y"), /^[0-9a-f]{64}$/);
  });
});

describe("usage", () => {
  const app = { callCount: 28, totalTime: 25, totalCputime: 12.5 };
  const pageUsage = { callCount: 104, totalTime: 7.25, totalCputime: 3 };
  const buc = {
    [MOCK_PAGE_ID]: [{ type: "messenger", callCount: 97, totalTime: 23.5, totalCputime: 23, estimatedTimeToRegainAccessMinutes: 0 }],
  };

  test("all three headers are parsed", async () => {
    const page = await listConversations(baseOptions(ctx.mock, runId("usage"), "usage=app,page,buc"));
    assert.deepEqual(page.usage, { app, page: pageUsage, businessUseCase: buc });
  });

  test("a header that does not parse is left out; others still read", async () => {
    const page = await listConversations(baseOptions(ctx.mock, runId("badusage"), "badusage=1"));
    assert.deepEqual(page.usage, { app: null, page: pageUsage, businessUseCase: buc });
    const appOnly = await listConversations(baseOptions(ctx.mock, runId("apponly"), "usage=app"));
    assert.deepEqual(appOnly.usage, { app, page: null, businessUseCase: {} });
  });

  test("no usage headers: usage is null", async () => {
    const page = await listConversations(baseOptions(ctx.mock, runId("nousage")));
    assert.equal(page.usage, null);
  });
});

describe("listMessages", () => {
  test("a thread's messages, newest first, untouched, paged with after", async () => {
    const thread = ctx.mock.inbox.threads.find((t) => t.platform === "messenger" && t.readable.length >= 7);
    const id = runId("messages");
    const options = { ...baseOptions(ctx.mock, id), conversationId: thread.id, limit: 3, fields: "id,message,from,created_time" };
    delete options.pageId;
    const pages = await walk(options, listMessages);
    assert.deepEqual(pages.flatMap(ids), thread.readable.map((m) => m.id));
    const graph = await raw(`/${V}/${thread.id}/messages`, { limit: "3", fields: options.fields });
    assert.deepEqual(pages[0].data, graph.data);
    assert.equal(pages[0].paging.previousCursor, null);
    assert.equal(pages.at(-1).paging.nextCursor, null);
    const log = await requestsOf(ctx.mock, id);
    assert.ok(log.every((e) => e.path === `/${V}/${thread.id}/messages` && e.tokenIn === "header"));
  });

  test("Instagram: only the 20 newest, no nextCursor beyond them", async () => {
    const thread = ctx.mock.inbox.threads.find((t) => t.platform === "instagram" && t.messages.length > 20);
    const page = await listMessages({ conversationId: thread.id, accessToken: TOKEN, baseUrl: scenarioUrl(ctx.mock, runId("ig")), limit: 100 });
    assert.deepEqual(ids(page), thread.messages.slice(0, 20).map((m) => m.id));
    assert.equal(page.paging.nextCursor, null);
  });
});

test("every entry exports exactly API.md's names, GRAPH_API_VERSION and init (no internals)", () => {
  const expected = [
    "listConversations", "paginateConversations", "listMessages", "paginateMessages", "createClient", "appSecretProof",
    "handleWebhook", "verifyWebhookSignature", "parseWebhookEvents",
    "GraphError", "GraphApiError", "AuthError", "PermissionError", "RateLimitError", "InvalidRequestError",
    "PolicyBlockError", "NetworkError", "TimeoutError", "InvalidResponseError", "InvalidOptionsError", "PagingError",
    "WebhookError", "GRAPH_API_VERSION", "init",
  ].sort();
  assert.deepEqual(Object.keys(nodeEntry).sort(), expected, "the Node entry");
  assert.deepEqual(Object.keys(browserEntry).sort(), expected, "the browser entry");
  assert.equal(browserEntry.AuthError, nodeEntry.AuthError, "one set of error classes");
});
