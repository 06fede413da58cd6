// The Node consumers: a plain ESM script and a CommonJS one, each in its own process, importing
// the installed tarball by name (the `node` condition): conversations from the mock Graph, the
// pager over three pages, errors with instanceof.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { after, before, test } from "node:test";

import {
  HERE, INSTALLED, MOCK_PAGE_ID, assertInstalledFromTarball, expectedIds, requestsOf, startMockGraph,
} from "./lib.mjs";

const run = promisify(execFile);
const TOKEN = "EAANodeConsumerTok3n0123456789";
let mock;

before(async () => {
  assertInstalledFromTarball();
  mock = await startMockGraph({ port: 0, conversations: 80 });
});
after(async () => { await mock?.close(); });

/** Runs a consumer script in a child process (cwd: its own folder); resolves to its JSON line. */
async function consumer(file, ...args) {
  const script = path.join(HERE, "node", file);
  const { stdout, stderr } = await run(process.execPath, [script, ...args], { cwd: path.dirname(script), timeout: 30_000 });
  assert.ok(!stdout.includes(TOKEN) && !stderr.includes(TOKEN), "the token leaked");
  return { result: JSON.parse(stdout.trim().split("\n").at(-1)), stderr };
}

test("Node ESM script: conversations, pager, errors", async () => {
  const id = `node-${process.pid}`;
  const { result } = await consumer("main.mjs", mock.url, MOCK_PAGE_ID, TOKEN, id);
  assert.equal(result.resolved, pathToFileURL(path.join(INSTALLED, "node.js")).href, "not the installed node entry");
  const inbox = expectedIds(mock);
  assert.deepEqual(result.ids, inbox.slice(0, 25));
  assert.deepEqual(result.fields, ["id", "snippet", "updated_time"]);
  assert.deepEqual(result.pages, [inbox.slice(0, 10), inbox.slice(10, 20), inbox.slice(20, 30)]);
  assert.deepEqual(result.error, { name: "AuthError", code: "ERR_GRAPH_AUTH", auth: true, graph: true });
  assert.deepEqual(result.invalid, { option: "pageId", invalidOptions: true });
  assert.equal(requestsOf(mock, id)[0].tokenIn, "header");
  assert.equal(requestsOf(mock, `${id}-pager`).length, 3);
});

test("Node CommonJS script: require() of the package", async () => {
  const { result } = await consumer("require.cjs");
  assert.deepEqual(result, {
    resolved: path.join(INSTALLED, "node.js"), listConversations: "function", authError: true, version: "v25.0",
  });
});
