// Webhooks in real workerd (Miniflare), through the workerd entry bundled as wrangler does:
// handshake 200/403, 401 for every kind of bad signature, 400, 405, 413 for a body over the
// limit (declared, and streamed without a length), 200 with the events of Messenger and
// Instagram deliveries (raw as sent), duplicates, verifyWebhookSignature and parseWebhookEvents.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";

import { Miniflare } from "miniflare";

import { postDeclaredLength } from "./helpers.mjs";
import { bundleLikeWrangler } from "./worker-bundle.mjs";
import {
  APP_SECRET, INSTAGRAM, INSTAGRAM_EVENTS, MESSENGER, MESSENGER_EVENTS, VERIFY_TOKEN, badSignatures, rawItems,
  sign, signedHeaders,
} from "./webhook-payloads.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const LIMIT = 1_000_000;
let mf;
let outDir;

/** A request to the Worker: `{ status, text, headers, events }` (events from `x-events`). */
async function call(route, init = {}) {
  const response = await mf.dispatchFetch(`http://worker.test${route}`, init);
  const text = await response.text();
  const encoded = response.headers.get("x-events");
  const events = encoded === null ? null : JSON.parse(Buffer.from(encoded, "base64").toString("utf8"));
  const out = { status: response.status, text, headers: Object.fromEntries(response.headers), events };
  const all = JSON.stringify(out);
  assert.ok(!all.includes(APP_SECRET) && !all.includes(VERIFY_TOKEN), "a secret leaked");
  return out;
}

/**
 * POSTs up to `total` bytes in 64 KiB chunks (chunked encoding, signed as an empty body) until an
 * answer comes; resolves to its status and how many bytes were sent by then.
 */
function uploadUntilAnswered(url, total) {
  return new Promise((resolve, reject) => {
    let sent = 0;
    const chunk = Buffer.alloc(65536, 0x20);
    const request = http.request(url, { method: "POST", headers: { ...signedHeaders(""), "transfer-encoding": "chunked" } });
    request.on("response", (response) => {
      resolve({ status: response.statusCode, sent });
      response.resume();
      request.destroy();
    });
    request.on("error", reject);
    const pump = () => {
      while (sent < total && !request.destroyed) {
        sent += chunk.length;
        if (!request.write(chunk)) return void request.once("drain", pump);
      }
      if (!request.destroyed) request.end();
    };
    pump();
  });
}

const post = (body, headers = signedHeaders(body)) => call("/webhook", { method: "POST", body, headers });
const withoutRaw = (events) => events.map(({ raw, ...rest }) => rest);

describe("webhooks in workerd", () => {
  before(async () => {
    outDir = mkdtempSync(path.join(os.tmpdir(), "page-conversations-webhook-"));
    const scriptPath = await bundleLikeWrangler({ entry: path.join(here, "webhook-worker", "worker.mjs"), outDir });
    mf = new Miniflare({
      modules: true, scriptPath, modulesRoot: outDir,
      modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
      compatibilityDate: "2025-01-01", host: "127.0.0.1", cf: false,
      bindings: { APP_SECRET, VERIFY_TOKEN },
    });
    await mf.ready;
  });

  after(async () => {
    await mf?.dispose();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  test("handshake: 200 with the challenge, else 403", async () => {
    const ok = await call(`/webhook?hub.mode=subscribe&hub.challenge=42424242&hub.verify_token=${encodeURIComponent(VERIFY_TOKEN)}`);
    assert.deepEqual([ok.status, ok.text, ok.events], [200, "42424242", []]);
    const bad = await call("/webhook?hub.mode=subscribe&hub.challenge=42424242&hub.verify_token=nope");
    assert.deepEqual([bad.status, bad.events], [403, []]);
  });

  test("Messenger and Instagram deliveries: 200 with every event, raw as sent; duplicates identical", async () => {
    const messenger = await post(MESSENGER);
    assert.equal(messenger.status, 200, messenger.text);
    assert.deepEqual(withoutRaw(messenger.events), MESSENGER_EVENTS);
    assert.equal(JSON.stringify(messenger.events.map((event) => event.raw)), JSON.stringify(rawItems(MESSENGER)));
    const instagram = await post(INSTAGRAM);
    assert.deepEqual(withoutRaw(instagram.events), INSTAGRAM_EVENTS);
    assert.deepStrictEqual((await post(MESSENGER)).events, messenger.events);
  });

  test("every kind of bad signature: 401", async () => {
    for (const [label, header] of Object.entries(badSignatures(MESSENGER))) {
      const out = await post(MESSENGER, header === null ? {} : { "x-hub-signature-256": header });
      assert.deepEqual([out.status, out.events], [401, []], label);
    }
  });

  test("not a payload: 400; other methods: 405", async () => {
    for (const body of ["{", "[]", `{"object":"whatsapp_business_account","entry":[]}`]) {
      assert.equal((await post(body)).status, 400, body);
    }
    for (const method of ["PUT", "DELETE"]) {
      const out = await call("/webhook", { method, body: "x" });
      assert.deepEqual([out.status, out.headers.allow], [405, "GET, POST"]);
    }
  });

  test("over 1 MB: 413, with a Content-Length or streamed without one; 1 MB exactly is read", async () => {
    const exact = `${INSTAGRAM}${" ".repeat(LIMIT - Buffer.byteLength(INSTAGRAM))}`;
    assert.equal((await post(exact)).status, 200);
    assert.equal(await postDeclaredLength(new URL("/webhook", await mf.ready), LIMIT + 1, signedHeaders(`${exact} `)), 413);
    // Streamed without a length (chunked) over a socket: the Worker answers 413 while the
    // upload goes on (it never reads past the limit), and the upload is stopped then.
    const started = performance.now();
    const { status, sent } = await uploadUntilAnswered(new URL("/webhook", await mf.ready), 50 * LIMIT);
    assert.equal(status, 413);
    assert.ok(sent < 50 * LIMIT, `the whole body was uploaded (${sent} bytes) before the answer`);
    assert.ok(performance.now() - started < 5000);
  });

  test("verifyWebhookSignature and parseWebhookEvents in the Worker", async () => {
    const verified = await call("/verify", { method: "POST", body: MESSENGER, headers: { "x-hub-signature-256": sign(MESSENGER) } });
    assert.deepEqual(JSON.parse(verified.text), { text: true, bytes: true, view: true });
    const refused = await call("/verify", { method: "POST", body: MESSENGER, headers: { "x-hub-signature-256": sign(`${MESSENGER} `) } });
    assert.deepEqual(JSON.parse(refused.text), { text: false, bytes: false, view: false });
    const parsed = JSON.parse((await call("/parse", { method: "POST", body: INSTAGRAM })).text);
    assert.deepEqual(withoutRaw(parsed.events), INSTAGRAM_EVENTS);
    const error = JSON.parse((await call("/parse", { method: "POST", body: "{" })).text).error;
    assert.deepEqual([error.name, error.code, error.graphError, error.webhookError], ["WebhookError", "ERR_WEBHOOK", true, true]);
  });
});
