// Webhooks in Node through the package (Node entry): handleWebhook's answers (handshake 200/403,
// 401 for every kind of bad signature, 400, 413 without reading a big body, 405, 200 with the
// events of Messenger and Instagram deliveries, `raw` exactly as sent), verifyWebhookSignature
// over strings and bytes, parseWebhookEvents and its WebhookError, the option boundary, and no
// secret in anything returned or thrown.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  GraphError, InvalidOptionsError, WebhookError, handleWebhook, parseWebhookEvents, verifyWebhookSignature,
} from "page-conversations";

import { rejection } from "./helpers.mjs";
import {
  APP_SECRET, INSTAGRAM, INSTAGRAM_EVENTS, MESSENGER, MESSENGER_EVENTS, PAGE_ID, VERIFY_TOKEN, badSignatures,
  rawItems, sign, signedHeaders,
} from "./webhook-payloads.mjs";

const URL_ = "https://hooks.example.test/webhook";
const OPTIONS = { appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN };
const LIMIT = 1_000_000;
/** Every string a test saw come out of the package, scanned for the secrets at the end. */
const seen = [];

/** handleWebhook of a request; returns `{ status, text, headers, events }`, remembered for the scan. */
async function hook(request, options = OPTIONS) {
  const { response, events } = await handleWebhook(request, options);
  assert.ok(response instanceof Response);
  const text = await response.text();
  const out = { status: response.status, text, headers: Object.fromEntries(response.headers), events };
  seen.push(JSON.stringify(out));
  return out;
}

const post = (body, headers = signedHeaders(body)) => new Request(URL_, { method: "POST", body, headers });
const handshake = (query) => new Request(`${URL_}?${query}`);
const withoutRaw = (events) => events.map(({ raw, ...rest }) => rest);

/**
 * A body stream of `total` bytes of `byte` in `chunk`-byte pieces, made only when pulled:
 * `pulled()` tells how many bytes were asked for.
 */
function lazyBody(total, chunk = 64 * 1024, byte = 0x20) {
  let sent = 0;
  const stream = new ReadableStream({
    pull(controller) {
      if (sent >= total) return controller.close();
      const size = Math.min(chunk, total - sent);
      sent += size;
      controller.enqueue(new Uint8Array(size).fill(byte));
    },
  }, { highWaterMark: 0 });
  return { stream, pulled: () => sent };
}

describe("handleWebhook: the subscribe handshake", () => {
  test("GET with the verify token: 200 with the challenge as text, no events", async () => {
    const out = await hook(handshake(`hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${encodeURIComponent(VERIFY_TOKEN)}`));
    assert.deepEqual([out.status, out.text, out.events], [200, "1158201444", []]);
    assert.match(out.headers["content-type"], /^text\/plain/);
  });

  test("GET otherwise: 403, and the token is never echoed", async () => {
    const token = encodeURIComponent(VERIFY_TOKEN);
    for (const query of [
      `hub.mode=subscribe&hub.challenge=1&hub.verify_token=wrong`,
      `hub.mode=subscribe&hub.challenge=1&hub.verify_token=${token}x`,
      `hub.mode=subscribe&hub.challenge=1`,
      `hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=${token}`,
      `hub.mode=subscribe&hub.verify_token=${token}`,
      `hub.mode=subscribe&hub.challenge=1&hub.challenge=2&hub.verify_token=${token}`,
      `hub.mode=subscribe&hub.challenge=${token}&hub.verify_token=${token}`,
      `hub.mode=subscribe&hub.challenge=${encodeURIComponent(APP_SECRET)}&hub.verify_token=${token}`,
      `hub.mode=subscribe&hub.challenge=%3Cscript%3E&hub.verify_token=${token}`,
      "",
    ]) {
      const out = await hook(handshake(query));
      assert.deepEqual([out.status, out.events], [403, []], query);
    }
  });
});

describe("handleWebhook: deliveries", () => {
  test("a Messenger delivery of every kind: 200 and its events, raw exactly as sent", async () => {
    const out = await hook(post(MESSENGER));
    assert.equal(out.status, 200, out.text);
    assert.equal(out.text, "EVENT_RECEIVED");
    assert.deepEqual(withoutRaw(out.events), MESSENGER_EVENTS);
    const items = rawItems(MESSENGER);
    out.events.forEach((event, index) => {
      assert.deepEqual(Object.keys(event), ["platform", "pageId", "userId", "type", "timestamp", "standby", "messageId", "text", "raw"]);
      assert.deepStrictEqual(event.raw, items[index]);
      // Key order as in the payload (the echo's starts with "timestamp"), escapes decoded as JSON.parse does.
      assert.deepEqual(JSON.stringify(event.raw), JSON.stringify(items[index]));
    });
    assert.deepEqual(Object.keys(out.events[1].raw), ["timestamp", "sender", "recipient", "message"]);
    assert.equal(out.events[0].raw.message.text, "Hällo 😀 \"q\"");
    assert.equal(typeof out.events[0].timestamp, "number");
  });

  test("an Instagram delivery: 200, platform instagram, reads with their mid", async () => {
    const out = await hook(post(INSTAGRAM));
    assert.equal(out.status, 200, out.text);
    assert.deepEqual(withoutRaw(out.events), INSTAGRAM_EVENTS);
    assert.deepStrictEqual(out.events.map((event) => event.raw), rawItems(INSTAGRAM));
  });

  test("duplicate deliveries (Meta retries) give identical events", async () => {
    const first = await hook(post(MESSENGER));
    const again = await hook(post(MESSENGER));
    assert.deepStrictEqual(again.events, first.events);
    assert.notEqual(again.events[0].raw, first.events[0].raw, "each call parses its own copy");
  });

  test("the signature is over the raw bytes: \\u00e4 escapes and literal ä sign differently", async () => {
    const literal = MESSENGER.replaceAll("\\u00e4", "ä");
    const signedEscaped = sign(MESSENGER);
    const mismatched = await hook(post(literal, { "x-hub-signature-256": signedEscaped }));
    assert.equal(mismatched.status, 401);
    const out = await hook(post(literal));
    assert.equal(out.status, 200);
    assert.deepEqual(withoutRaw(out.events), MESSENGER_EVENTS);
    // Bytes that are not UTF-8 text as a string would have them: a Uint8Array body signed as sent.
    const bytes = new TextEncoder().encode(INSTAGRAM);
    const fromBytes = await hook(new Request(URL_, { method: "POST", body: bytes, headers: signedHeaders(bytes) }));
    assert.equal(fromBytes.status, 200);
  });

  test("every kind of bad signature: 401, no events", async () => {
    for (const [label, header] of Object.entries(badSignatures(MESSENGER))) {
      const headers = header === null ? {} : { "x-hub-signature-256": header };
      const out = await hook(post(MESSENGER, headers));
      assert.deepEqual([out.status, out.events], [401, []], label);
    }
    const twice = new Headers([["x-hub-signature-256", sign(MESSENGER)], ["x-hub-signature-256", sign(MESSENGER)]]);
    assert.equal((await hook(post(MESSENGER, twice))).status, 401, "the header sent twice");
    assert.equal((await hook(post(MESSENGER), { appSecret: "another", verifyToken: VERIFY_TOKEN })).status, 401);
  });

  test("signed bodies that are not Page or Instagram payloads: 400, naming positions only", async () => {
    for (const body of [
      "", "{", "not json at all", "[]", "null", `{"object":"user","entry":[]}`, `{"object":"page"}`,
      `{"object":"page","entry":{}}`, `{"object":"page","entry":[{"messaging":[]}]}`,
      `{"object":"page","entry":[{"id":"1","messaging":[{"recipient":{"id":"1"},"timestamp":1}]}]}`,
      `{"object":"page","entry":[{"id":"1","messaging":[{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1,"message":"SECRET-CONTENT"}]}]}`,
      `\ufeff${MESSENGER}`,
    ]) {
      const out = await hook(post(body));
      assert.deepEqual([out.status, out.events], [400, []], body.slice(0, 60));
      assert.ok(!out.text.includes("SECRET-CONTENT"), out.text);
    }
    const notUtf8 = new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]);
    assert.equal((await hook(new Request(URL_, { method: "POST", body: notUtf8, headers: signedHeaders(notUtf8) }))).status, 400);
  });

  test("an entry without messaging (a `changes` entry) or an empty entry list: 200, no events", async () => {
    for (const body of [`{"object":"page","entry":[]}`, `{"object":"page","entry":[{"id":"1","time":1,"changes":[{"field":"feed"}]}]}`]) {
      const out = await hook(post(body));
      assert.deepEqual([out.status, out.events], [200, []]);
    }
  });

  test("other methods: 405 with Allow, body never read", async () => {
    for (const method of ["PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]) {
      const body = ["PUT", "PATCH", "DELETE"].includes(method) ? lazyBody(5 * LIMIT) : null;
      const request = new Request(URL_, { method, body: body?.stream, duplex: "half", headers: signedHeaders("") });
      const out = await hook(request);
      assert.deepEqual([out.status, out.events, out.headers.allow], [405, [], "GET, POST"], method);
      if (body) assert.equal(body.pulled(), 0, `${method}: no byte of the body was read`);
    }
  });
});

describe("handleWebhook: the 1 MB limit", () => {
  /** A valid signed payload padded with JSON whitespace to exactly `size` bytes. */
  const padded = (size) => {
    const body = `${INSTAGRAM}${" ".repeat(size - new TextEncoder().encode(INSTAGRAM).length)}`;
    assert.equal(new TextEncoder().encode(body).length, size);
    return body;
  };

  test("exactly 1 000 000 bytes is read; one byte more is 413", async () => {
    assert.equal((await hook(post(padded(LIMIT)))).status, 200);
    const over = await hook(post(padded(LIMIT + 1)));
    assert.deepEqual([over.status, over.events], [413, []]);
  });

  test("a Content-Length over the limit: 413 before any byte is read, even with a valid signature", async () => {
    const body = lazyBody(LIMIT + 1);
    const request = new Request(URL_, {
      method: "POST", body: body.stream, duplex: "half",
      headers: { ...signedHeaders(""), "content-length": String(LIMIT + 1) },
    });
    const out = await hook(request);
    assert.deepEqual([out.status, out.events], [413, []]);
    assert.equal(body.pulled(), 0);
  });

  test("a 200 MB body without Content-Length: 413 after reading about 1 MB, in bounded time and memory", async () => {
    const body = lazyBody(200 * LIMIT);
    const before = process.memoryUsage();
    const started = performance.now();
    const out = await hook(new Request(URL_, { method: "POST", body: body.stream, duplex: "half", headers: signedHeaders("") }));
    const elapsed = performance.now() - started;
    const after = process.memoryUsage();
    assert.deepEqual([out.status, out.events], [413, []]);
    assert.ok(body.pulled() <= LIMIT + 2 * 64 * 1024, `read ${body.pulled()} bytes`);
    assert.ok(elapsed < 2000, `took ${elapsed} ms`);
    assert.ok(after.arrayBuffers - before.arrayBuffers < 32 * 1024 * 1024, "array buffers grew by less than 32 MB");
  });

  test("a Content-Length that lies low does not lift the limit", async () => {
    const body = lazyBody(10 * LIMIT);
    const request = new Request(URL_, {
      method: "POST", body: body.stream, duplex: "half", headers: { ...signedHeaders(""), "content-length": "10" },
    });
    assert.equal((await hook(request)).status, 413);
    assert.ok(body.pulled() <= LIMIT + 2 * 64 * 1024);
  });

  test("a body stream that fails midway: checked as read (401), never thrown", async () => {
    let pulls = 0;
    const stream = new ReadableStream({
      pull(controller) {
        pulls += 1;
        if (pulls === 1) controller.enqueue(new TextEncoder().encode(MESSENGER.slice(0, 100)));
        else controller.error(new Error("connection reset"));
      },
    }, { highWaterMark: 0 });
    const out = await hook(new Request(URL_, { method: "POST", body: stream, duplex: "half", headers: signedHeaders(MESSENGER) }));
    assert.deepEqual([out.status, out.events], [401, []]);
  });
});

describe("handleWebhook: options and the request", () => {
  test("bad options reject with InvalidOptionsError before the body is read", async () => {
    const hostile = { appSecret: APP_SECRET, get verifyToken() { throw new Error("boom"); } };
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    for (const [options, option] of [
      [undefined, "options"], [null, "options"], ["secret", "options"], [[APP_SECRET], "options"],
      [{ verifyToken: VERIFY_TOKEN }, "appSecret"], [{ appSecret: APP_SECRET }, "verifyToken"],
      [{ appSecret: "", verifyToken: VERIFY_TOKEN }, "appSecret"], [{ appSecret: APP_SECRET, verifyToken: "" }, "verifyToken"],
      [{ appSecret: 42, verifyToken: VERIFY_TOKEN }, "appSecret"], [{ ...OPTIONS, verifyTokn: "x" }, "verifyTokn"],
      [{ ...OPTIONS, pageId: "1" }, "pageId"], [hostile, "verifyToken"], [revoked.proxy, "options"],
    ]) {
      const body = lazyBody(10);
      const request = new Request(URL_, { method: "POST", body: body.stream, duplex: "half" });
      const error = await rejection(handleWebhook(request, options));
      assert.ok(error instanceof InvalidOptionsError, `${option}: ${error}`);
      assert.equal(error.option, option);
      assert.equal(body.pulled(), 0, option);
      assert.match(error.stack, /webhook\.test\.mjs/, "the stack names the caller");
      seen.push(error.message, error.stack, JSON.stringify(error));
    }
    const typo = await rejection(handleWebhook(post("{}"), { ...OPTIONS, verifyTokn: "x" }));
    assert.match(typo.message, /did you mean "verifyToken"/);
  });

  test("something that is not a readable Request, or whose body was read: InvalidOptionsError naming request", async () => {
    const used = post(MESSENGER);
    await used.text();
    const throwing = { get method() { throw new Error("boom"); } };
    for (const request of [undefined, null, "https://x.test", {}, { method: "POST", url: URL_ }, throwing, used]) {
      const error = await rejection(handleWebhook(request, OPTIONS));
      assert.ok(error instanceof InvalidOptionsError, String(error));
      assert.equal(error.option, "request");
    }
  });
});

describe("verifyWebhookSignature", () => {
  const bytes = new TextEncoder().encode(MESSENGER);
  const header = sign(MESSENGER);

  test("true for the raw body as a string, ArrayBuffer, Uint8Array, Buffer, DataView or a view at an offset", async () => {
    const padded = new Uint8Array(bytes.length + 8);
    padded.set(bytes, 4);
    for (const body of [
      MESSENGER, bytes, bytes.buffer.slice(0), Buffer.from(MESSENGER), new DataView(bytes.buffer.slice(0)),
      padded.subarray(4, 4 + bytes.length),
    ]) {
      assert.equal(await verifyWebhookSignature(body, header, APP_SECRET), true, Object.prototype.toString.call(body));
    }
  });

  test("false for every bad signature, another secret, another body", async () => {
    for (const [label, bad] of Object.entries(badSignatures(MESSENGER))) {
      assert.equal(await verifyWebhookSignature(MESSENGER, bad, APP_SECRET), false, label);
    }
    assert.equal(await verifyWebhookSignature(MESSENGER, undefined, APP_SECRET), false);
    assert.equal(await verifyWebhookSignature(MESSENGER, header, `${APP_SECRET}x`), false);
    assert.equal(await verifyWebhookSignature(`${MESSENGER} `, header, APP_SECRET), false);
    assert.equal(await verifyWebhookSignature(MESSENGER.replaceAll("\\u00e4", "ä"), header, APP_SECRET), false);
    const big = "x".repeat(LIMIT + 1);
    assert.equal(await verifyWebhookSignature(big, sign(big), APP_SECRET), false, "over the limit");
    const atLimit = "x".repeat(LIMIT);
    assert.equal(await verifyWebhookSignature(atLimit, sign(atLimit), APP_SECRET), true, "at the limit");
  });

  test("bad arguments: InvalidOptionsError naming them", async () => {
    for (const [args, option] of [
      [[MESSENGER, header, ""], "appSecret"], [[MESSENGER, header, undefined], "appSecret"], [[MESSENGER, header, 7], "appSecret"],
      [[42, header, APP_SECRET], "rawBody"], [[null, header, APP_SECRET], "rawBody"], [[{ length: 3 }, header, APP_SECRET], "rawBody"],
      [[[1, 2], header, APP_SECRET], "rawBody"], [[MESSENGER, 5, APP_SECRET], "signatureHeader"],
    ]) {
      const error = await rejection(verifyWebhookSignature(...args));
      assert.ok(error instanceof InvalidOptionsError, `${option}: ${error}`);
      assert.equal(error.option, option);
      seen.push(error.message, error.stack);
    }
  });
});

describe("parseWebhookEvents", () => {
  test("text or a parsed object: the same events as handleWebhook gives; raw is a fresh copy", async () => {
    assert.deepEqual(withoutRaw(await parseWebhookEvents(MESSENGER)), MESSENGER_EVENTS);
    const payload = JSON.parse(INSTAGRAM);
    const events = await parseWebhookEvents(payload);
    assert.deepEqual(withoutRaw(events), INSTAGRAM_EVENTS);
    assert.deepStrictEqual(events.map((event) => event.raw), payload.entry[0].messaging);
    assert.notEqual(events[0].raw, payload.entry[0].messaging[0]);
    const handled = await hook(post(MESSENGER));
    assert.deepStrictEqual(await parseWebhookEvents(MESSENGER), handled.events);
  });

  test("anything else rejects with WebhookError (ERR_WEBHOOK, a GraphError) with the caller's stack", async () => {
    const cyclic = { object: "page", entry: [] };
    cyclic.self = cyclic;
    const throwing = { object: "page", get entry() { throw new Error("boom"); } };
    for (const payload of [
      "{", "", "[]", 42, null, undefined, true, [], { object: "user", entry: [] }, { object: "page" }, cyclic, throwing,
      { object: "page", entry: [{ id: "1", messaging: [{ sender: { id: "2" } }] }] }, { big: 1n }, `${" ".repeat(LIMIT)}{}`,
    ]) {
      const error = await rejection(parseWebhookEvents(payload));
      assert.ok(error instanceof WebhookError, String(error));
      assert.ok(error instanceof GraphError);
      assert.deepEqual([error.name, error.code], ["WebhookError", "ERR_WEBHOOK"]);
      assert.match(error.message, /^Not a Page or Instagram webhook payload: /);
      assert.match(error.stack, /webhook\.test\.mjs/);
      assert.deepEqual(JSON.parse(JSON.stringify(error)), { name: "WebhookError", code: "ERR_WEBHOOK", message: error.message });
    }
  });

  test("an empty entry list: no events", async () => {
    assert.deepEqual(await parseWebhookEvents({ object: "instagram", entry: [] }), []);
  });
});

test("no output of any test contains the app secret or the verify token", () => {
  assert.ok(seen.length > 50);
  for (const text of seen) {
    assert.ok(!text.includes(APP_SECRET), text.slice(0, 300));
    assert.ok(!text.includes(VERIFY_TOKEN), text.slice(0, 300));
  }
  assert.ok(seen.some((text) => text.includes(PAGE_ID)));
});
