// The Vite and webpack consumers, as built by run.sh from the installed tarball: the output ships
// the package's `.wasm` as a fingerprinted asset and nothing from Node; served by a plain static
// server and loaded in headless Chromium, each lists conversations from the mock Graph (token in
// the query string: the browser entry), pages through the pager, and gets an AuthError that is
// still `instanceof AuthError` after bundling. The Vite app also runs under Vite's dev server
// (dependency pre-bundling is where `new URL(…, import.meta.url)` assets classically break).
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";

import { chromium } from "playwright-core";
import { createServer as createViteServer } from "vite";

import {
  CHROMIUM_LAUNCH, HERE, MOCK_PAGE_ID, WORK, assertInstalledFromTarball, built, expectedIds,
  installedWasmHash, requestsOf, serveStatic, sha256, startMockGraph,
} from "./lib.mjs";

const TOKEN = "EAABrowserTok3n0123456789";
const APPS = [
  { name: "vite", dir: "vite-dist", wasm: /^assets\/page_conversations_bg-[\w-]{8}\.wasm$/ },
  { name: "webpack", dir: "webpack-dist", wasm: /^[0-9a-f]{20}\.wasm$/ },
];

let mock;
let browser;

before(async () => {
  assertInstalledFromTarball();
  mock = await startMockGraph({ port: 0, conversations: 80 });
  browser = await chromium.launch(CHROMIUM_LAUNCH);
});

after(async () => {
  await browser?.close();
  await mock?.close();
});

/** Every file under `dir`, as paths relative to it with `/` separators. */
function filesOf(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath ?? entry.path, entry.name)).split(path.sep).join("/"))
    .sort();
}

/**
 * Opens the app at `appUrl` in a fresh Chromium context and checks what it shows and what it
 * sent: the first page, two pager pages, an AuthError, the token in the query string, no CORS
 * preflight, no page error or console warning. Resolves to the `.wasm` responses as `{ url, body }`.
 */
async function checkApp(appUrl, run) {
  const context = await browser.newContext();
  const problems = [];
  const wasmResponses = [];
  try {
    const page = await context.newPage();
    page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() !== "error" && message.type() !== "warning") return;
      // Chromium logs the expected HTTP 400 of the AuthError scenario; nothing else may appear.
      const from = message.location().url ?? "";
      if (from.startsWith(`${mock.url}/_/`) && from.includes("error=190") && /status of 400/.test(message.text())) return;
      problems.push(`console ${message.type()}: ${message.text()} (${from})`);
    });
    page.on("response", (response) => {
      if (new URL(response.url()).pathname.endsWith(".wasm")) wasmResponses.push(response);
    });

    const query = new URLSearchParams({ mock: mock.url, page: MOCK_PAGE_ID, token: TOKEN, run });
    await page.goto(`${appUrl}/?${query}`);
    const result = page.locator("#result[data-done=true]");
    await result.waitFor({ timeout: 30_000 });
    const outcome = JSON.parse(await result.textContent());

    assert.equal(outcome.failed, undefined, outcome.failed);
    const inbox = expectedIds(mock);
    assert.deepEqual(outcome.ids, inbox.slice(0, 25), "first page (Graph's default 25)");
    assert.equal(outcome.hasNext, true);
    assert.deepEqual(outcome.pagedIds, inbox.slice(0, 10), "two pager pages of 5");
    assert.equal(outcome.version, "v25.0");
    assert.deepEqual(outcome.error, {
      name: "AuthError", code: "ERR_GRAPH_AUTH", graphCode: 190,
      instanceOf: ["AuthError", "GraphApiError", "GraphError", "Error"],
    });

    // The browser entry: token in the query string (a simple CORS request, no preflight).
    const requests = requestsOf(mock, run);
    assert.equal(requests.length, 1);
    assert.equal(requests[0].tokenIn, "query");
    assert.equal(mock.log(run).filter((entry) => entry.method === "OPTIONS").length, 0, "a CORS preflight was sent");
    assert.equal(requestsOf(mock, `${run}-pager`).length, 2);

    // The .wasm was fetched once, as application/wasm (compiled with instantiateStreaming).
    assert.equal(wasmResponses.length, 1, "the .wasm should be fetched once");
    assert.equal(wasmResponses[0].status(), 200);
    assert.equal(wasmResponses[0].headers()["content-type"], "application/wasm");
    assert.deepEqual(problems, []);
    return await Promise.all(wasmResponses.map(async (response) => ({ url: response.url(), body: await response.body() })));
  } finally {
    await context.close();
  }
}

for (const app of APPS) {
  describe(`${app.name} app`, () => {
    test("the build ships the package's .wasm, fingerprinted, and no Node module", () => {
      const dist = built(app.dir);
      const files = filesOf(dist);
      const wasm = files.filter((file) => file.endsWith(".wasm"));
      assert.equal(wasm.length, 1, `one .wasm asset expected: ${files.join(", ")}`);
      assert.match(wasm[0], app.wasm);
      assert.equal(sha256(readFileSync(path.join(dist, wasm[0]))), installedWasmHash(), "not the package's .wasm");
      const scripts = files.filter((file) => file.endsWith(".js"));
      assert.ok(scripts.length >= 1, "no script built");
      const code = scripts.map((file) => readFileSync(path.join(dist, file), "utf8")).join("\n");
      assert.ok(code.includes(path.basename(wasm[0])), "the script does not reference the .wasm asset");
      for (const nodeOnly of ["node:fs", "readFileSync", "workerd", "file:///"]) {
        assert.ok(!code.includes(nodeOnly), `the browser bundle contains ${nodeOnly}`);
      }
      assert.ok(!code.includes("gen/page_conversations_bg.wasm"), "an unresolved .wasm path is left in the bundle");
    });

    test("served statically and loaded in Chromium: conversations, pager, AuthError", async () => {
      const server = await serveStatic(built(app.dir));
      try {
        const [wasm] = await checkApp(server.url, `${app.name}-${process.pid}`);
        assert.ok(wasm.url.startsWith(`${server.url}/`));
        assert.deepEqual(server.requests.filter((r) => r.status !== 200), [], "the app asked for missing files");
      } finally {
        await server.close();
      }
    });
  });
}

describe("vite dev server", () => {
  test("the Vite app under `vite` (pre-bundled dependencies): conversations, pager, AuthError", async () => {
    const server = await createViteServer({
      root: path.join(HERE, "vite-app"),
      cacheDir: path.join(WORK, "vite-cache"), // fresh each run: the lockfile never sees the tarball
      server: { host: "127.0.0.1", port: 0, strictPort: false, hmr: false },
      logLevel: "warn",
      clearScreen: false,
    });
    try {
      await server.listen();
      const origin = server.resolvedUrls.local[0].replace(/\/$/, "");
      const [wasm] = await checkApp(origin, `vite-dev-${process.pid}`);
      assert.ok(wasm.url.startsWith(`${origin}/`));
      assert.equal(sha256(wasm.body), installedWasmHash(), "the dev server did not serve the package's .wasm");
    } finally {
      await server.close();
    }
  });
});
