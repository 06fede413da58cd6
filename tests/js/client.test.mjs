// createClient(defaults): the four calls with the defaults merged under each call's own options;
// the defaults are checked when the client is made; options only some calls take are allowed in
// the defaults and reach only those calls. Paging by hand with a client keeps every option on
// every page (the README's pattern; without it Graph answers (#2642) Invalid cursors values).
import assert from "node:assert/strict";
import { test } from "node:test";

import { InvalidOptionsError, createClient } from "page-conversations";

import { MOCK_PAGE_ID, TOKEN, expectedIds, requestsOf, runId, scenarioUrl, useMock } from "./helpers.mjs";

const ctx = useMock();

test("paging by hand with a client keeps platform, fields and limit on the next page", async () => {
  const id = runId("client-pages");
  const inbox = createClient({
    pageId: MOCK_PAGE_ID, accessToken: TOKEN, baseUrl: scenarioUrl(ctx.mock, id),
    platform: "messenger", folder: "inbox", fields: ["id", "updated_time"], limit: 3,
  });
  const first = await inbox.listConversations();
  const next = await inbox.listConversations({ after: first.paging.nextCursor });
  const ids = [...first.data, ...next.data].map((c) => c.id);
  assert.deepEqual(ids, expectedIds(ctx.mock).slice(0, 6));
  const log = await requestsOf(ctx.mock, id);
  assert.equal(log.length, 2);
  for (const entry of log) {
    assert.equal(entry.query.platform, "messenger");
    assert.equal(entry.query.fields, "id,updated_time");
    assert.equal(entry.query.limit, "3");
  }
});

test("a call's own option wins over the default; the pagers and messages take the defaults too", async () => {
  const id = runId("client-merge");
  const inbox = createClient({ pageId: MOCK_PAGE_ID, accessToken: TOKEN, baseUrl: scenarioUrl(ctx.mock, id), limit: 2, folder: "inbox" });
  assert.equal((await inbox.listConversations({ limit: 4 })).data.length, 4);
  const items = await inbox.paginateConversations({ maxItems: 5, requestsPerSecond: 0 }).toArray({ limit: 100 });
  assert.equal(items.length, 5);
  const thread = expectedIds(ctx.mock)[0];
  const messages = await inbox.listMessages({ conversationId: thread });
  assert.ok(messages.data.length > 0);
  const log = await requestsOf(ctx.mock, id);
  const messagesRequest = log.find((entry) => entry.path.endsWith("/messages"));
  assert.equal(messagesRequest.query.folder, undefined, "folder (a conversations option) is not sent for messages");
  assert.equal(messagesRequest.query.limit, "2");
});

test("the defaults are checked when the client is made, with the calls' errors", () => {
  for (const [defaults, option] of [
    [{ limit: 0 }, "limit"],
    [{ folder: "archive" }, "folder"],
    [{ pageId: "../me" }, "pageId"],
    [{ accessToken: `Bearer ${TOKEN}` }, "accessToken"],
    [{ requestsPerSecond: 1e-9 }, "requestsPerSecond"],
    [{ pageID: MOCK_PAGE_ID }, "pageID"],
    [{ baseUrl: "https://graph.facebook.com/v25.0" }, "baseUrl"],
  ]) {
    assert.throws(() => createClient(defaults), (error) => error instanceof InvalidOptionsError && error.option === option, JSON.stringify(defaults));
  }
  assert.throws(() => createClient(null), (error) => error instanceof InvalidOptionsError && error.option === "options");
  assert.doesNotThrow(() => createClient({}));
  assert.doesNotThrow(() => createClient({ before: "QVFI", maxPages: 2, updatedSince: "2026-01-01T00:00:00Z", conversationId: "t_1" }));
});

test("a call refuses options it does not take even when the defaults could", async () => {
  const inbox = createClient({ pageId: MOCK_PAGE_ID, accessToken: TOKEN, baseUrl: ctx.mock.url });
  await assert.rejects(inbox.listMessages({ conversationId: "t_1", folder: "inbox" }), (error) => error instanceof InvalidOptionsError && error.option === "folder");
  await assert.rejects(inbox.listConversations({ cursor: "x" }), (error) => error instanceof InvalidOptionsError && error.option === "cursor");
  assert.throws(() => inbox.paginateConversations({ pageID: "1" }), (error) => error instanceof InvalidOptionsError && /did you mean "pageId"/.test(error.message));
});
