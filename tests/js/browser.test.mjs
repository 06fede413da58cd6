// The package's browser entry (pkg/index.js, unbundled ES modules) in headless Chromium, against
// the mock Graph: 10,000 hostile option objects mixed with valid calls (hostile-options.js), and
// a failed `.wasm` load (network failure, an HTML page, HTTP 503) that rejects the call with the
// package's error classes while the next call loads the module again, and stacks that name the
// caller.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { chromium } from "playwright-core";

import { CHROMIUM_LAUNCH, serveStatic } from "../consumers/lib.mjs";
import { MOCK_PAGE_ID, TOKEN, closedPort, useMock } from "./helpers.mjs";

const ctx = useMock();
let site;
let browser;

before(async () => {
  site = await serveStatic(new URL("../..", import.meta.url).pathname);
  browser = await chromium.launch(CHROMIUM_LAUNCH);
});

after(async () => {
  await browser?.close();
  await site?.close();
});

/** A fresh page of the static site (its own module instance), with page errors collected. */
async function openPage() {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto(`${site.url}/tests/js/browser.html`);
  return { page, errors };
}

test("Chromium: 10,000 hostile option objects are InvalidOptionsError, and the instance is unharmed", async () => {
  const { page, errors } = await openPage();
  try {
    const base = { pageId: MOCK_PAGE_ID, accessToken: TOKEN, baseUrl: ctx.mock.url };
    const result = await page.evaluate(async (base) => {
      const api = await import("/pkg/index.js");
      const { runHostile } = await import("/tests/js/hostile-options.js");
      await api.init();
      const wasm = (await import("/pkg/gen/page_conversations.js")).initSync();
      const memory = () => ({ wasmBytes: wasm.memory.buffer.byteLength, externrefs: wasm.__wbindgen_externrefs.length });
      const unhandled = [];
      addEventListener("unhandledrejection", (event) => unhandled.push(String(event.reason)));
      await runHostile(api, base, { count: 300 });
      const outcome = await runHostile(api, base, { count: 10_000, memory });
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { ...outcome, unhandled };
    }, base);
    assert.deepEqual(result.failures, []);
    assert.equal(result.refused + result.resolvedAsAllowed, 10_000);
    assert.equal(result.valid, 100);
    assert.equal(result.lastCount, 2);
    assert.deepEqual(result.unhandled, []);
    for (const key of Object.keys(result.before)) {
      assert.ok(result.after[key] <= result.before[key] * 1.1, `${key}: ${result.before[key]} -> ${result.after[key]}`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test("Chromium: a failed .wasm load is a typed error, and the next call loads it again", async () => {
  const { page, errors } = await openPage();
  try {
    // The first three loads fail: the connection drops, an HTML page, HTTP 503. Then it loads.
    let loads = 0;
    await page.route("**/page_conversations_bg.wasm", (route) => {
      loads += 1;
      if (loads === 1) return route.abort("connectionreset");
      if (loads === 2) return route.fulfill({ status: 200, contentType: "text/html", body: "<!doctype html><title>Oops</title>" });
      if (loads === 3) return route.fulfill({ status: 503, contentType: "text/plain", body: "busy" });
      return route.continue();
    });
    const base = { pageId: MOCK_PAGE_ID, accessToken: TOKEN, baseUrl: ctx.mock.url, limit: 4 };
    const outcomes = await page.evaluate(async (base) => {
      const api = await import("/pkg/index.js");
      const outcomes = [];
      for (let attempt = 0; attempt < 4; attempt++) {
        try {
          const result = await api.listConversations(base);
          outcomes.push({ ok: result.data.length });
        } catch (error) {
          outcomes.push({
            name: error.name, status: error.status ?? null, message: error.message,
            graphError: error instanceof api.GraphError, hasCause: error.cause !== undefined,
          });
        }
      }
      return outcomes;
    }, base);
    assert.equal(loads, 4);
    assert.equal(outcomes[0].name, "NetworkError");
    assert.equal(outcomes[0].graphError, true);
    assert.equal(outcomes[0].hasCause, true);
    assert.match(outcomes[0].message, /page_conversations_bg\.wasm/);
    assert.equal(outcomes[1].name, "InvalidResponseError");
    assert.equal(outcomes[1].graphError, true);
    assert.equal(outcomes[2].name, "InvalidResponseError");
    assert.equal(outcomes[2].status, 503);
    assert.deepEqual(outcomes[3], { ok: 4 });
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test("Chromium: every error's stack names the caller's module", async () => {
  const { page, errors } = await openPage();
  try {
    const base = { pageId: MOCK_PAGE_ID, accessToken: TOKEN, baseUrl: ctx.mock.url };
    const closed = `http://127.0.0.1:${await closedPort()}`;
    const stacks = await page.evaluate(async ([base, closed]) => {
      const api = await import("/pkg/index.js");
      const { failureStacks } = await import("/tests/js/stack-probe.js");
      return failureStacks(api, base, closed);
    }, [base, closed]);
    for (const [kind, failure] of Object.entries(stacks)) {
      assert.ok(failure, `${kind}: the call did not fail`);
      assert.ok(failure.stack.startsWith(`${failure.name}: `), `${kind}: ${failure.stack.split("\n")[0]}`);
      assert.match(failure.stack, /stack-probe\.js:\d+/, `${kind}:\n${failure.stack}`);
    }
    assert.equal(Object.keys(stacks).length, 5);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
