// The webhook halves in headless Chromium through the browser entry (pkg/index.js, loading the
// `.wasm` on first use): verifyWebhookSignature over a string, an ArrayBuffer and a Uint8Array
// (true, and false for a changed byte), handleWebhook with a page-made Request (a dashboard has
// no use for it, but it must work the same), and parseWebhookEvents with its WebhookError.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { chromium } from "playwright-core";

import { serveStatic } from "../consumers/lib.mjs";
import { APP_SECRET, INSTAGRAM, INSTAGRAM_EVENTS, MESSENGER, VERIFY_TOKEN, sign } from "./webhook-payloads.mjs";

let site;
let browser;

before(async () => {
  site = await serveStatic(new URL("../..", import.meta.url).pathname);
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--no-first-run"],
  });
});

after(async () => {
  await browser?.close();
  await site?.close();
});

test("Chromium: verifyWebhookSignature, handleWebhook and parseWebhookEvents", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto(`${site.url}/tests/js/browser.html`);
  const args = { messenger: MESSENGER, instagram: INSTAGRAM, signature: sign(MESSENGER), igSignature: sign(INSTAGRAM), secret: APP_SECRET, token: VERIFY_TOKEN };
  const result = await page.evaluate(async ({ messenger, instagram, signature, igSignature, secret, token }) => {
    const api = await import("/pkg/index.js");
    const bytes = new TextEncoder().encode(messenger);
    const verified = [
      await api.verifyWebhookSignature(messenger, signature, secret),
      await api.verifyWebhookSignature(bytes.buffer, signature, secret),
      await api.verifyWebhookSignature(bytes, signature, secret),
      await api.verifyWebhookSignature(`${messenger} `, signature, secret),
    ];
    const request = new Request("https://x.test/webhook", { method: "POST", body: instagram, headers: { "x-hub-signature-256": igSignature } });
    const handled = await api.handleWebhook(request, { appSecret: secret, verifyToken: token });
    const events = await api.parseWebhookEvents(instagram);
    let error;
    try {
      await api.parseWebhookEvents("{");
    } catch (e) {
      error = { name: e.name, code: e.code, webhook: e instanceof api.WebhookError, graph: e instanceof api.GraphError, stack: e.stack };
    }
    const strip = (list) => list.map(({ raw, ...rest }) => rest);
    return { verified, status: handled.response.status, handled: strip(handled.events), events: strip(events), error };
  }, args);
  await page.close();
  assert.deepEqual(result.verified, [true, true, true, false]);
  assert.equal(result.status, 200);
  assert.deepEqual(result.handled, INSTAGRAM_EVENTS);
  assert.deepEqual(result.events, INSTAGRAM_EVENTS);
  assert.deepEqual([result.error.name, result.error.code, result.error.webhook, result.error.graph], ["WebhookError", "ERR_WEBHOOK", true, true]);
  assert.match(result.error.stack, /evaluate|__puppeteer|<anonymous>|browser\.html/);
  assert.deepEqual(errors, []);
});
