// The Worker consumer: bundled by run.sh with `wrangler deploy --dry-run` (wrangler's own
// esbuild and module rules, not ours) from the installed tarball. The bundle must come from the
// `workerd` entry (a static `.wasm` module import and `initSync`, nothing of Node's or the
// browser's loader); run in real workerd through Miniflare, it lists conversations from the mock
// Graph with the token in a header and an appsecret_proof, follows a cursor, and answers an
// AuthError that is still `instanceof AuthError` inside the bundle.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";

import { Miniflare } from "miniflare";

import { MOCK_APP_SECRET } from "../graph-mock/server.mjs";
import {
  MOCK_PAGE_ID, assertInstalledFromTarball, built, expectedIds, installedWasmHash, requestsOf, sha256,
  startMockGraph,
} from "./lib.mjs";

const TOKEN = "EAAWorkerConsumerTok3n0123456789";
let mock;
let mf;
let outDir;
let bundle;

before(async () => {
  assertInstalledFromTarball();
  outDir = built("worker-dist");
  bundle = readFileSync(built("worker-dist", "index.js"), "utf8");
  mock = await startMockGraph({ port: 0, conversations: 80 });
  mf = new Miniflare({
    modules: true, scriptPath: path.join(outDir, "index.js"), modulesRoot: outDir,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: "2025-01-01", host: "127.0.0.1", cf: false,
    bindings: { PAGE_ID: MOCK_PAGE_ID, PAGE_ACCESS_TOKEN: TOKEN, APP_SECRET: MOCK_APP_SECRET, GRAPH_BASE_URL: mock.url },
  });
  await mf.ready;
});

after(async () => {
  await mf?.dispose();
  await mock?.close();
});

/** GETs the Worker; resolves to { status, body, text }. */
async function get(params) {
  const res = await mf.dispatchFetch(`http://worker.test/?${new URLSearchParams(params)}`);
  const text = await res.text();
  assert.ok(!text.includes(TOKEN), "the token leaked into the Worker's answer");
  assert.ok(!text.includes("access_token") && !text.includes("appsecret_proof"), "a credential parameter leaked");
  return { status: res.status, body: JSON.parse(text), text };
}

describe("wrangler Worker", () => {
  test("wrangler bundled the workerd entry: a static .wasm module import and initSync", () => {
    const wasmFiles = readdirSync(outDir).filter((file) => file.endsWith(".wasm"));
    assert.equal(wasmFiles.length, 1, `one .wasm module expected: ${readdirSync(outDir).join(", ")}`);
    assert.equal(sha256(readFileSync(path.join(outDir, wasmFiles[0]))), installedWasmHash());
    const escaped = wasmFiles[0].replace(/[.]/g, "\\.");
    const imported = bundle.match(new RegExp(`^import (\\w+) from "\\./${escaped}";$`, "m"));
    assert.ok(imported, "the bundle does not import the .wasm as a module");
    assert.match(bundle, new RegExp(`\\binitSync\\(\\{ module: ${imported[1]} \\}\\)`), "workerd.js's initSync is missing (tree-shaken?)");
    for (const foreign of ["readFileSync", "node:fs", "import.meta.url", "instantiateStreaming(", "gen/page_conversations_bg.wasm"]) {
      assert.ok(!bundle.includes(foreign), `the Worker bundle contains ${foreign} (not the workerd entry)`);
    }
  });

  test("in workerd: a page of conversations, then the next one through the cursor", async () => {
    const run = `worker-${process.pid}`;
    const inbox = expectedIds(mock);
    const first = await get({ spec: `id=${run}` });
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(first.body.data.map((c) => c.id), inbox.slice(0, 25));
    assert.equal(typeof first.body.paging.nextCursor, "string");
    const second = await get({ spec: `id=${run}`, cursor: first.body.paging.nextCursor });
    assert.equal(second.status, 200, second.text);
    assert.deepEqual(second.body.data.map((c) => c.id), inbox.slice(25, 50));

    // Outside a browser window: token in the Authorization header, with an appsecret_proof.
    const requests = requestsOf(mock, run);
    assert.equal(requests.length, 2);
    for (const request of requests) {
      assert.equal(request.tokenIn, "header");
      assert.match(request.proof ?? "", /^[0-9a-f]{64}$/);
      assert.equal(request.status, 200);
    }
  });

  test("in workerd: an expired token is an AuthError (instanceof inside the bundle)", async () => {
    const { status, body } = await get({ spec: `id=worker-error-${process.pid};error=190.463` });
    assert.equal(status, 502);
    assert.equal(body.name, "AuthError");
    assert.equal(body.code, "ERR_GRAPH_AUTH");
    assert.equal(body.graphCode, 190);
    assert.equal(body.graphSubcode, 463);
    assert.equal(body.isAuthError, true);
  });
});
