// A long pager remembers its cursors in constant space per page (a 16-byte digest, whatever the
// cursor's length) and forgets them when it ends: 3,000 pages whose cursors are 8 KB each leave the
// wasm memory where it was (before: every cursor was kept whole, 24 MB here, and kept after the
// pager ended). The server is a small loopback Graph of its own: the mock's cursors are short.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, test } from "node:test";

import { paginateConversations } from "page-conversations";

import { initSync } from "../../pkg/gen/page_conversations.js";

const PAGES = 3000;
const CURSOR_BYTES = 8000;
const MiB = 1024 * 1024;
const wasm = initSync();
let server;
let baseUrl;

/** The cursor after page `n`: base64-like, 8 KB, different for every page. */
const cursorAfter = (n) => `QVFI${String(n).padStart(8, "0")}${"A".repeat(CURSOR_BYTES)}`;

before(async () => {
  server = createServer((req, res) => {
    const after = new URL(req.url, "http://x").searchParams.get("after");
    const n = after === null ? 0 : Number(after.slice(4, 12)) + 1;
    const body = {
      data: [{ id: `t_${1000000 + n}`, updated_time: "2026-11-20T09:28:50+0000" }],
      paging: n + 1 < PAGES ? { cursors: { before: cursorAfter(n - 1), after: cursorAfter(n) }, next: `${baseUrl}/next` } : { cursors: { before: cursorAfter(n - 1), after: cursorAfter(n) } },
    };
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${server.address().port}`;
});

after(() => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }));

test(`3,000 pages with 8 KB cursors: the wasm memory stays flat while paging and after`, async () => {
  const pager = () => paginateConversations({ pageId: "1", accessToken: "EAAtok", baseUrl, requestsPerSecond: 0 });
  // Warm up: the memory grows to its working size on the first pages.
  let count = 0;
  for await (const conversation of pager()) if ((count += conversation ? 1 : 0) >= 50) break;
  const start = wasm.memory.buffer.byteLength;
  let peak = start;
  count = 0;
  for await (const conversation of pager()) {
    assert.ok(conversation.id);
    count += 1;
    if (count % 100 === 0) peak = Math.max(peak, wasm.memory.buffer.byteLength);
  }
  assert.equal(count, PAGES, "every page once");
  const growth = Math.max(peak, wasm.memory.buffer.byteLength) - start;
  assert.ok(growth < 1 * MiB, `wasm memory grew ${(growth / MiB).toFixed(2)} MiB over ${PAGES} pages`);
});
