// Runs the README's JavaScript examples against the mock Graph, so that what users copy works.
//
// Which blocks: every fenced block of README.md whose language is JavaScript-like (js, javascript,
// mjs, cjs, jsx, ts, typescript, tsx) is run, unless the line just before it (blank lines aside) is
//   <!-- readme-test: not run: REASON -->
// (invisible when the README is rendered). Other blocks (sh, toml, json, the untagged file tree)
// are not code to run, by that rule. A JavaScript block that is neither marked nor runnable fails
// its test, a marker followed by no JavaScript block fails, and so does a run of zero blocks.
//
// How a block runs, as literally as we could: its text is written unchanged to a temporary .mjs
// file and imported as an ES module, with two changes only:
// - `from "page-conversations"` is rewritten to `from "<this folder>/readme-package.mjs"`, which
//   re-exports the real package (the Node entry) unchanged except that the calls and createClient
//   default `baseUrl` to this test's mock Graph (merged by the package's own createClient, so a
//   snippet's own options win). No loader or import map: the rewrite is one visible string.
// - the README's placeholders, which a snippet uses without declaring, are set as globals while it
//   runs: `pageId`, `pageToken`, `accessToken` (the mock's Page and a token), `loadMoreButton` and
//   `render` (a button stand-in and a spy), `options` (options of a call that fails with Graph's
//   190, an expired token) with `askForANewToken` / `retryIn` (spies). A placeholder the list
//   lacks is a ReferenceError: add it here.
// A block whose default export has `fetch(request, env)` (a Worker) is then called as workerd would:
// once with a Request, then again with `?cursor=` the first answer's nextCursor; one with
// `scheduled(controller, env)` (a Cron Trigger) is called once. `env` holds the mock's Page id,
// token and app secret, a KV-like `STATE` and a queue-like `QUEUE`. In Node the package's `node`
// entry answers where wrangler would pick `workerd`; the code is the same.
//
// What is checked, for each block: it runs (and its handlers answer) without throwing; each block
// gets its own run id in the mock, and every Graph request it made was answered 200; a request
// with a cursor carries the same query as the first request of that path (else Graph says
// (#2642) Invalid cursors values); a block that calls the package made at least one request.
// Where a block uses a stand-in, what it did with it: "load more" clicked to the end renders every
// conversation of the listing once; the cron sync queues every conversation of the listing once;
// the Worker's two answers are 200 and are the listing's first two pages; the error handler asked
// for a new token.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { pathToFileURL } from "node:url";

import { TOKEN, MOCK_APP_SECRET, MOCK_PAGE_ID, expectedIds, requestsOf, runId, scenarioUrl, useMock } from "./helpers.mjs";

const README = new URL("../../README.md", import.meta.url);
const PACKAGE = new URL("./readme-package.mjs", import.meta.url);
const JS_LANGUAGES = new Set(["js", "javascript", "mjs", "cjs", "jsx", "ts", "typescript", "tsx"]);
const MARKER = /^<!--\s*readme-test:\s*not run:\s*(\S.*?)\s*-->$/;
const CALLS = /\b(listConversations|listMessages|paginateConversations|paginateMessages|createClient)\s*\(/;

/**
 * The fenced blocks of a Markdown text: `{ line, language, code, skip }`, `line` counting from 1
 * (the opening fence), `skip` the marker's reason or null. Throws on a stray marker.
 */
function fencedBlocks(markdown) {
  const lines = markdown.split("\n");
  const blocks = [];
  let pendingMarker = null;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const marker = MARKER.exec(line.trim());
    if (marker) {
      pendingMarker = { reason: marker[1], line: index + 1 };
      continue;
    }
    if (line.trim() === "") continue;
    const open = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/.exec(line);
    if (!open) {
      if (pendingMarker) throw new Error(`README.md:${pendingMarker.line}: a readme-test marker not followed by a JavaScript block`);
      if (/readme-test/.test(line)) throw new Error(`README.md:${index + 1}: a malformed readme-test marker: ${line}`);
      continue;
    }
    const fence = open[2];
    const language = open[3].toLowerCase();
    const start = index;
    const body = [];
    for (index += 1; index < lines.length && !lines[index].trim().startsWith(fence); index++) body.push(lines[index]);
    const isJs = JS_LANGUAGES.has(language);
    if (pendingMarker && !isJs) throw new Error(`README.md:${pendingMarker.line}: a readme-test marker before a ${language || "untagged"} block`);
    blocks.push({ line: start + 1, language, isJs, code: body.join("\n"), skip: pendingMarker?.reason ?? null });
    pendingMarker = null;
  }
  if (pendingMarker) throw new Error(`README.md:${pendingMarker.line}: a readme-test marker at the end of the file`);
  return blocks;
}

const blocks = fencedBlocks(readFileSync(README, "utf8"));
const jsBlocks = blocks.filter((block) => block.isJs);
const toRun = jsBlocks.filter((block) => block.skip === null);
const ctx = useMock({ conversations: 150 });
const dir = mkdtempSync(join(tmpdir(), "readme-snippets-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const graph = await import(PACKAGE);
let executed = 0;

/** The ids of the listing a run's first conversations request asked for (the mock's truth). */
function listingOf(requests) {
  const first = requests.find((entry) => entry.path.endsWith("/conversations"));
  assert.ok(first, "no conversations request");
  return expectedIds(ctx.mock, {
    platform: String(first.query.platform ?? "messenger").toLowerCase(),
    folder: first.query.folder ?? "inbox",
  });
}

/** A KV namespace stand-in. */
function kv() {
  const map = new Map();
  return { get: async (key) => map.get(key) ?? null, put: async (key, value) => { map.set(key, String(value)); }, map };
}

for (const block of jsBlocks) {
  const title = `README.md:${block.line} ${block.code.split("\n").find((l) => l.trim() !== "")?.trim().slice(0, 70) ?? ""}`;
  if (block.skip !== null) {
    test(title, { skip: `not run: ${block.skip}` }, () => {});
    continue;
  }
  test(title, async (t) => {
    const source = block.code.replaceAll(/from\s+(["'])page-conversations\1/g, `from ${JSON.stringify(PACKAGE.href)}`);
    const file = join(dir, `README.md-line-${block.line}.mjs`);
    writeFileSync(file, `${source}\n`);

    const run = runId(`readme-${block.line}`);
    graph.useGraph(scenarioUrl(ctx.mock, run));
    const failing = runId(`readme-${block.line}-expired`);
    const calls = { askForANewToken: 0, retryIn: 0 };
    const rendered = [];
    const button = { hidden: false, onclick: null };
    const globals = {
      pageId: MOCK_PAGE_ID,
      pageToken: TOKEN,
      accessToken: TOKEN,
      loadMoreButton: button,
      render: (items) => { rendered.push(...items.map((item) => item.id)); },
      options: { pageId: MOCK_PAGE_ID, accessToken: TOKEN, baseUrl: scenarioUrl(ctx.mock, failing, "error=190") },
      askForANewToken: () => { calls.askForANewToken += 1; },
      retryIn: () => { calls.retryIn += 1; },
    };
    const logged = [];
    const log = console.log;
    Object.assign(globalThis, globals);
    console.log = (...args) => { logged.push(args); };
    let module;
    try {
      module = await import(pathToFileURL(file).href);

      const env = { PAGE_ID: MOCK_PAGE_ID, PAGE_ACCESS_TOKEN: TOKEN, APP_SECRET: MOCK_APP_SECRET, STATE: kv(), QUEUE: { sent: [], send: async (message) => { env.QUEUE.sent.push(message); } } };
      const worker = module.default;
      if (typeof worker?.fetch === "function") {
        const first = await worker.fetch(new Request("https://worker.example/api"), env);
        assert.equal(first.status, 200, await first.clone().text());
        const page1 = await first.json();
        assert.ok(page1.data.length > 0 && page1.paging.nextCursor, "the Worker's first page");
        const second = await worker.fetch(new Request(`https://worker.example/api?cursor=${encodeURIComponent(page1.paging.nextCursor)}`), env);
        assert.equal(second.status, 200, await second.clone().text());
        const page2 = await second.json();
        const listing = listingOf(await requestsOf(ctx.mock, run));
        assert.deepEqual([...page1.data, ...page2.data].map((c) => c.id), listing.slice(0, page1.data.length + page2.data.length));
        assert.ok(!JSON.stringify([page1, page2]).includes(TOKEN), "the Worker's answers carry the token");
      }
      if (typeof worker?.scheduled === "function") {
        await worker.scheduled({ cron: "*/5 * * * *", scheduledTime: Date.now() }, env);
        assert.deepEqual(env.QUEUE.sent, listingOf(await requestsOf(ctx.mock, run)), "the sync queues every conversation once");
        assert.ok(env.STATE.map.has("lastSync"), "the sync records its time");
      }
      if (typeof button.onclick === "function") {
        for (let clicks = 0; !button.hidden; clicks++) {
          assert.ok(clicks < 50, "load more never ends");
          await button.onclick();
        }
        assert.deepEqual(rendered, listingOf(await requestsOf(ctx.mock, run)), "load more renders every conversation once");
      }
      if (/\baskForANewToken\b/.test(block.code)) {
        assert.equal(calls.askForANewToken, 1, "an expired token asks for a new one");
        assert.equal(calls.retryIn, 0);
      }
    } finally {
      console.log = log;
      for (const name of Object.keys(globals)) delete globalThis[name];
    }

    const requests = await requestsOf(ctx.mock, run);
    for (const entry of requests) assert.equal(entry.status, 200, `${entry.method} ${entry.path} ${JSON.stringify(entry.query)} answered ${entry.status}`);
    const firstByPath = new Map();
    for (const entry of requests) {
      const { after: cursorAfter, before: cursorBefore, ...rest } = entry.query;
      if (!firstByPath.has(entry.path)) firstByPath.set(entry.path, rest);
      else if (cursorAfter !== undefined || cursorBefore !== undefined) {
        assert.deepEqual(rest, firstByPath.get(entry.path), `a cursor sent with other options than its listing's: ${entry.path}`);
      }
    }
    const expired = await requestsOf(ctx.mock, failing);
    for (const entry of expired) assert.equal(entry.status, 400, "the expired-token call");
    const body = block.code.replaceAll(/^\s*import\s[^;]*;/gm, "");
    if (CALLS.test(body)) assert.ok(requests.length + expired.length > 0, "the block calls the package but sent nothing");
    t.diagnostic(`${requests.length + expired.length} Graph requests`);
    executed += 1;
  });
}

test("every runnable README block ran", () => {
  assert.ok(jsBlocks.length > 0, "README.md has no JavaScript block");
  assert.ok(toRun.length > 0, "no README block is runnable");
  assert.equal(executed, toRun.length, `${executed} of ${toRun.length} runnable README blocks ran`);
});
