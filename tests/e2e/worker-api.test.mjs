// The dashboard's Worker in workerd (Miniflare), over HTTP as a browser sees it: its JSON API
// with the HTTP status of each typed error, and the static files of www/dist.
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { after, before, describe, test } from "node:test";

import { WORKER_TOKEN, startStack } from "./stack.mjs";

let stack;
before(async () => { stack = await startStack({ conversations: 120, seed: 5 }); });
after(() => stack?.close());

let runs = 0;
async function api(path, scenario) {
  const id = `api-${process.pid}-${++runs}`;
  const response = await fetch(`${stack.url}${path}`, { headers: { "X-Mock-Scenario": scenario ? `id=${id};${scenario}` : `id=${id}` } });
  const text = await response.text();
  assert.ok(!text.includes(WORKER_TOKEN), "the token leaked");
  return { response, status: response.status, body: JSON.parse(text), log: stack.mock.log(id) };
}

describe("the Worker's API in workerd", () => {
  test("a page, the next page, and a thread's messages", async () => {
    const ids = stack.mock.inbox.threads.filter((t) => t.platform === "instagram" && t.folder === "inbox").map((t) => t.id);
    const one = await api("/api/conversations?platform=instagram&limit=4");
    assert.equal(one.status, 200);
    assert.deepEqual(one.body.data.map((c) => c.id), ids.slice(0, 4));
    const two = await api(`/api/conversations?platform=instagram&limit=4&cursor=${encodeURIComponent(one.body.paging.nextCursor)}`);
    assert.deepEqual(two.body.data.map((c) => c.id), ids.slice(4, 8));
    const thread = stack.mock.inbox.byId.get(ids[0]);
    const messages = await api(`/api/conversations/${encodeURIComponent(ids[0])}/messages?limit=5`);
    assert.equal(messages.status, 200);
    assert.deepEqual(messages.body.data.map((m) => m.id), thread.readable.slice(0, 5).map((m) => m.id));
    assert.equal(messages.log[0].tokenIn, "header");
    assert.equal(messages.log[0].proof, createHmac("sha256", stack.mock.appSecret).update(WORKER_TOKEN).digest("hex"));
  });

  const STATUS_CASES = [
    ["error=190.463", 401, "AuthError"],
    ["error=102", 401, "AuthError"],
    ["error=200", 403, "PermissionError"],
    ["error=10", 403, "PermissionError"],
    ["error=368", 403, "PolicyBlockError"],
    ["error=2", 502, "GraphApiError"],
    ["html=502", 502, "InvalidResponseError"],
    ["truncate=1", 502, "InvalidResponseError"],
    ["error=100", 502, "InvalidRequestError"],
  ];
  for (const [scenario, status, name] of STATUS_CASES) {
    test(`${scenario} → ${status} ${name}`, async () => {
      const { status: got, body, log } = await api("/api/conversations", scenario);
      assert.equal(got, status);
      assert.equal(body.error.name, name);
      assert.equal(log.filter((e) => e.method === "GET").length, 1, "the Worker does not retry: the browser decides");
    });
  }

  test("rate limits → 429 with Retry-After and retryAfterMs", async () => {
    const known = await api("/api/conversations", "error=80006;usage=buc;eta=0.5");
    assert.equal(known.status, 429);
    assert.equal(known.response.headers.get("Retry-After"), "30");
    assert.equal(known.body.error.retryAfterMs, 30_000);
    const unknown = await api("/api/conversations", "error=613");
    assert.equal(unknown.status, 429);
    assert.equal(unknown.response.headers.get("Retry-After"), "60");
    assert.equal(unknown.body.error.retryAfterMs, null);
  });

  test("bad input → 400; an unknown conversation → 404", async () => {
    assert.equal((await api("/api/conversations?folder=trash")).status, 400);
    assert.equal((await api("/api/conversations?cursor=bm9wZQ%3D%3D")).status, 400);
    const unknown = await api("/api/conversations/t_999999999999999/messages");
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.graphSubcode, 33);
  });

  test("messages of something that is not a conversation → 404, and Graph is asked nothing", async () => {
    // The Page itself, a person or any numeric node, a post, `me`, a username: Graph would answer
    // most of them as that node, not as a conversation.
    for (const id of [stack.mock.pageId, "17841400000000001", "123_456", "me", "cocacola"]) {
      const { status, body, log } = await api(`/api/conversations/${id}/messages`);
      assert.equal(status, 404, id);
      assert.equal(body.error.code, "ERR_NOT_FOUND", id);
      assert.deepEqual(log, [], `${id}: no Graph request`);
    }
  });

  test("empty pages with a next page are skipped by the Worker's pager", async () => {
    const { status, body } = await api("/api/conversations?limit=3", "empty=4");
    assert.equal(status, 200);
    assert.equal(body.data.length, 3);
  });

  test("static files: the page with its CSP header (the import map's hash, no framing), the package and its wasm", async () => {
    const page = await fetch(`${stack.url}/`);
    assert.equal(page.status, 200);
    const html = await page.text();
    const map = /<script type="importmap">([\s\S]*?)<\/script>/.exec(html)[1];
    assert.deepEqual(JSON.parse(map), { imports: { "page-conversations": "/pkg/index.js" } });
    const hash = createHash("sha256").update(map).digest("base64");
    const csp = page.headers.get("Content-Security-Policy") ?? "";
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[^']+'/);
    assert.ok(csp.includes(`'sha256-${hash}'`), "the CSP allows exactly this import map");
    assert.match(csp, /(^|; )frame-ancestors 'none'(;|$)/);
    assert.match(csp, /(^|; )object-src 'none'(;|$)/);
    assert.equal(page.headers.get("X-Content-Type-Options"), "nosniff");
    assert.equal(page.headers.get("Referrer-Policy"), "no-referrer");
    assert.ok(!html.includes("%IMPORTMAP_HASH%"));
    for (const [path, type] of [["/index.html", /html/], ["/app.js", /javascript/], ["/style.css", /css/], ["/pkg/index.js", /javascript/], ["/pkg/errors.js", /javascript/], ["/pkg/gen/page_conversations_bg.wasm", /^application\/wasm/]]) {
      const response = await fetch(`${stack.url}${path}`, { redirect: "manual" });
      await response.arrayBuffer();
      if (response.status === 307 || response.status === 308) continue; // /index.html → /
      assert.equal(response.status, 200, path);
      assert.match(response.headers.get("Content-Type"), type, path);
      assert.equal(response.headers.get("Content-Security-Policy"), csp, path);
      assert.equal(response.headers.get("X-Content-Type-Options"), "nosniff", path);
    }
    assert.equal((await fetch(`${stack.url}/_headers`)).status, 404, "the headers file itself is not served");
  });

  test("the API's answers carry the same protective headers", async () => {
    const { response } = await api("/api/info");
    assert.match(response.headers.get("Content-Security-Policy") ?? "", /frame-ancestors 'none'/);
    assert.equal(response.headers.get("X-Content-Type-Options"), "nosniff");
    assert.equal(response.headers.get("Referrer-Policy"), "no-referrer");
  });
});
