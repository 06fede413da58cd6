// Live updates' pure parts (www/worker/src/live.js) and the Worker module's live routes in Node:
// which events are pushed, what names a duplicate, what the dashboard gets of an event, and the
// refusals of /webhook, /api/live and updatedSince.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { startMockGraph } from "../../../tests/graph-mock/server.mjs";
import worker from "../src/app.js";
import { LOOKED_UP, PUSHED, eventForDashboard, eventKey, eventsForThisPage } from "../src/live.js";

const event = (over = {}) => ({
  platform: "messenger", pageId: "1000000000000001", userId: "5992674944142140", type: "message",
  timestamp: 1796547975434, standby: false, messageId: "m_1", text: "hi",
  raw: { sender: { id: "5992674944142140" }, message: { mid: "m_1", text: "hi" } }, ...over,
});

describe("live events", () => {
  test("which kinds are pushed and looked up", () => {
    assert.deepEqual([...PUSHED].sort(), ["echo", "edit", "message", "postback", "reaction", "read"]);
    assert.ok(!LOOKED_UP.has("read"));
    const env = { PAGE_ID: "1000000000000001", INSTAGRAM_ACCOUNT_ID: "17841400000000001" };
    const events = [
      event(), event({ type: "delivery" }), event({ type: "other" }), event({ pageId: "2" }),
      event({ platform: "instagram", pageId: "17841400000000001" }), event({ platform: "instagram", pageId: "3" }),
    ];
    assert.deepEqual(eventsForThisPage(events, env).map((e) => [e.platform, e.pageId, e.type]), [
      ["messenger", "1000000000000001", "message"], ["instagram", "17841400000000001", "message"],
    ]);
    assert.equal(eventsForThisPage(events, { PAGE_ID: "1000000000000001" }).length, 1, "no Instagram without INSTAGRAM_ACCOUNT_ID");
  });

  test("a retry has the same key; another event does not", () => {
    assert.equal(eventKey(event()), eventKey(structuredClone(event())));
    const keys = new Set([
      event(), event({ timestamp: 1 }), event({ messageId: "m_2" }), event({ type: "echo" }), event({ userId: "7" }),
      event({ type: "reaction", raw: { reaction: { mid: "m_1", action: "react", reaction: "love" } } }),
      event({ type: "reaction", raw: { reaction: { mid: "m_1", action: "unreact" } } }),
      event({ type: "edit", raw: { message_edit: { mid: "m_1", num_edit: 2 } } }),
    ].map(eventKey));
    assert.equal(keys.size, 8);
    assert.ok(eventKey(event({ messageId: "m".repeat(10_000) })).length < 1000, "bounded");
  });

  test("the dashboard gets what it shows, not the raw item", () => {
    const out = eventForDashboard(event({ raw: { message: { mid: "m_1", text: "hi", attachments: [{ type: "image", payload: { url: "https://x/y.png" } }] } } }));
    assert.equal(out.raw, undefined);
    assert.deepEqual(out.attachments, [{ type: "image", url: "https://x/y.png" }]);
    const reaction = eventForDashboard(event({ type: "reaction", raw: { reaction: { mid: "m_1", action: "react", reaction: "love", emoji: "❤️" } } }));
    assert.deepEqual([reaction.action, reaction.emoji], ["react", "❤️"]);
    assert.equal(eventForDashboard(event({ type: "read", raw: { read: { watermark: 5 } } })).watermark, 5);
  });
});

describe("the Worker's live routes in Node", () => {
  let mock;
  let env;
  before(async () => {
    mock = await startMockGraph({ port: 0, conversations: 20, seed: 3 });
    env = { PAGE_ID: mock.pageId, PAGE_ACCESS_TOKEN: "EAAUnitTok3n0123", APP_SECRET: mock.appSecret, GRAPH_BASE_URL: mock.url, VERIFY_TOKEN: "v" };
  });
  after(() => mock?.close());
  const call = (path, init = {}, environment = env) => worker.fetch(new Request(`http://worker.test${path}`, init), environment);

  test("/webhook without APP_SECRET or VERIFY_TOKEN: 500 ERR_WORKER_CONFIG", async () => {
    const response = await call("/webhook?hub.mode=subscribe&hub.verify_token=v&hub.challenge=1", {}, { ...env, VERIFY_TOKEN: undefined });
    assert.equal(response.status, 500);
    assert.equal((await response.json()).error.code, "ERR_WORKER_CONFIG");
    assert.equal((await call("/webhook?hub.mode=subscribe&hub.verify_token=v&hub.challenge=1")).status, 200);
  });

  test("/api/live: other origins 403, no upgrade 426, no LIVE_INBOX binding 501", async () => {
    assert.equal((await call("/api/live", { headers: { Upgrade: "websocket", Origin: "https://evil.example" } })).status, 403);
    assert.equal((await call("/api/live")).status, 426);
    assert.equal((await call("/api/live", { headers: { Upgrade: "websocket", Origin: "http://worker.test" } })).status, 501);
  });

  test("updatedSince: the conversations updated since then, newest first; refusals", async () => {
    const threads = mock.inbox.threads.filter((t) => t.platform === "messenger" && t.folder === "inbox");
    const since = threads[2].updatedMs;
    const response = await call(`/api/conversations?limit=2&updatedSince=${since}`);
    const body = await response.json();
    assert.equal(response.status, 200);
    assert.deepEqual(body.data.map((c) => c.id), threads.slice(0, 3).map((t) => t.id), "across pages, stopping at an older one");
    assert.equal(body.complete, true);
    const all = await (await call("/api/conversations?limit=1&updatedSince=0")).json();
    assert.equal(all.complete, false, "more than 4 pages: the dashboard reloads instead");
    assert.equal(all.data.length, 4);
    for (const bad of ["updatedSince=abc", "updatedSince=-1", "updatedSince=1&cursor=x"]) {
      assert.equal((await call(`/api/conversations?${bad}`)).status, 400, bad);
    }
  });
});
