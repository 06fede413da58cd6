// The Worker's /webhook in workerd (Miniflare, with its Durable Objects), sent to as Meta sends:
// the subscribe handshake; 401 for every kind of bad signature (none, another scheme, upper-case
// hex, another secret, one byte changed, truncated, the hash of re-encoded JSON); 400 for what is
// not a webhook payload; 413 over 1 MB; 405; a fast 200 for a good delivery, whose events reach a
// connected dashboard socket once (duplicates are dropped, one Graph call per person of a batch);
// other Pages' events are not pushed.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { after, before, describe, test } from "node:test";

import { rawWebhookBody, signWebhook, webhookPayload } from "../graph-mock/webhooks.mjs";
import { postDeclaredLength } from "../js/helpers.mjs";
import { DEMO_VERIFY_TOKEN, startStack } from "./stack.mjs";

let stack;
before(async () => { stack = await startStack({ conversations: 60, seed: 11 }); });
after(() => stack?.close());

const hook = () => `${stack.url}/webhook`;
const secret = () => stack.mock.appSecret;

async function post(body, signature, { method = "POST" } = {}) {
  const headers = { "Content-Type": "application/json" };
  if (signature !== null) headers["X-Hub-Signature-256"] = signature;
  const started = performance.now();
  const response = await fetch(hook(), { method, headers, body });
  return { status: response.status, text: await response.text(), ms: performance.now() - started };
}

/** A dashboard's socket on /api/live: the messages it receives. */
async function dashboardSocket() {
  const response = await stack.mf.dispatchFetch(`${stack.url}/api/live`, { headers: { Upgrade: "websocket" } });
  assert.equal(response.status, 101);
  const ws = response.webSocket;
  const received = [];
  ws.addEventListener("message", (event) => {
    const data = JSON.parse(event.data);
    if (data.type === "events") received.push(data.items);
  });
  ws.accept();
  return { received, close: () => ws.close(1000, "done") };
}

const lookups = () => stack.mock.log("").filter((e) => e.method === "GET" && e.query?.user_id !== undefined);
const waitFor = async (check, ms = 3000) => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
};

function person(index, platform = "messenger") {
  return stack.mock.inbox.threads.filter((t) => t.platform === platform)[index].person.id;
}

describe("/webhook in workerd", () => {
  test("the subscribe handshake answers the challenge only for the verify token", async () => {
    const query = (token, mode = "subscribe") => `${hook()}?hub.mode=${mode}&hub.challenge=1158201444&hub.verify_token=${encodeURIComponent(token)}`;
    const good = await fetch(query(DEMO_VERIFY_TOKEN));
    assert.equal(good.status, 200);
    assert.equal(await good.text(), "1158201444");
    assert.equal((await fetch(query("wrong"))).status, 403);
    assert.equal((await fetch(query(`${DEMO_VERIFY_TOKEN}x`))).status, 403);
    assert.equal((await fetch(query(DEMO_VERIFY_TOKEN, "unsubscribe"))).status, 403);
    assert.equal((await fetch(hook())).status, 403);
  });

  test("401 for every kind of bad signature, and nothing is pushed", async () => {
    const socket = await dashboardSocket();
    const before = lookups().length;
    const payload = webhookPayload({ platform: "messenger", events: [{ kind: "message", userId: person(1), text: "Grüße 🍰" }] });
    const raw = rawWebhookBody(payload);
    const hex = createHmac("sha256", secret()).update(raw).digest("hex");
    const reencoded = JSON.stringify(JSON.parse(raw));
    assert.notEqual(reencoded, raw, "the body escapes non-ASCII as Meta does");
    const cases = {
      "no header": null,
      "empty header": "",
      "hex without sha256=": hex,
      "sha1= scheme": `sha1=${createHmac("sha1", secret()).update(raw).digest("hex")}`,
      "upper-case hex": `sha256=${hex.toUpperCase()}`,
      "another secret": signWebhook(raw, "0000000000000000ffffffffffffffff"),
      "truncated": `sha256=${hex.slice(0, 63)}`,
      "too long": `sha256=${hex}0`,
      "not hex": `sha256=${"z".repeat(64)}`,
      "the hash of re-encoded JSON": signWebhook(reencoded, secret()),
      "last digit changed": `sha256=${hex.slice(0, 63)}${hex.at(-1) === "0" ? "1" : "0"}`,
    };
    for (const [name, signature] of Object.entries(cases)) {
      assert.equal((await post(raw, signature)).status, 401, name);
    }
    // One byte of the body changed, signature of the original.
    assert.equal((await post(raw.replace("Gr", "gr"), `sha256=${hex}`)).status, 401, "body changed");
    assert.equal((await post(raw, `sha256=${hex}`)).status, 200, "the right signature passes");
    assert.ok(await waitFor(() => socket.received.length === 1));
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(socket.received.length, 1, "only the signed delivery was pushed");
    assert.equal(lookups().length - before, 1);
    socket.close();
  });

  test("400 for what is not a webhook payload, 413 over 1 MB, 405 for other methods", async () => {
    for (const body of ["not json", "{}", '{"object":"user","entry":[]}', "[]", '{"object":"page","entry":"x"}']) {
      assert.equal((await post(body, signWebhook(body, secret()))).status, 400, body);
    }
    // Refused from its Content-Length alone, before a byte of it is read.
    const headers = { "content-type": "application/json", "x-hub-signature-256": signWebhook("{}", secret()) };
    assert.equal(await postDeclaredLength(hook(), 1_000_001, headers), 413);
    for (const method of ["PUT", "DELETE", "PATCH"]) {
      assert.equal((await post("{}", signWebhook("{}", secret()), { method })).status, 405, method);
    }
  });

  test("a delivery is answered at once; a batch is pushed in order in one message, one Graph call per person; a duplicate is pushed once", async () => {
    const socket = await dashboardSocket();
    const before = lookups().length;
    const [a, b] = [person(2), person(3)];
    const payload = webhookPayload({ platform: "messenger", events: [
      { kind: "message", userId: a, text: "first" },
      { kind: "message", userId: a, text: "second" },
      { kind: "echo", userId: b, text: "the Page answers" },
      { kind: "read", userId: b },
      { kind: "delivery", userId: b },
      { kind: "message", userId: a, text: "another Page's", pageId: "1999999999999999" },
    ] });
    const raw = rawWebhookBody(payload);
    const first = await post(raw, signWebhook(raw, secret()));
    assert.equal(first.status, 200);
    assert.ok(first.ms < 300, `answered in ${first.ms.toFixed(0)} ms`);
    assert.ok(await waitFor(() => socket.received.length === 1));
    const [items] = socket.received;
    assert.deepEqual(items.map((i) => [i.event.type, i.event.text]), [["message", "first"], ["message", "second"], ["echo", "the Page answers"], ["read", null]]);
    assert.equal(items[0].conversation.participants.data.some((p) => p.id === a), true, "the person's conversation");
    assert.equal(items[3].conversation, null, "a read needs no lookup");
    assert.ok(items.every((i) => i.event.raw === undefined), "raw items stay in the Worker");
    assert.equal(lookups().length - before, 2, "one Graph call per person");

    // Meta retries: the identical bytes again, then the same events in a new batch.
    assert.equal((await post(raw, signWebhook(raw, secret()))).status, 200);
    const again = rawWebhookBody({ ...payload, entry: [...payload.entry].reverse() });
    assert.equal((await post(again, signWebhook(again, secret()))).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 700));
    assert.equal(socket.received.length, 1, "duplicates are not pushed");
    assert.equal(lookups().length - before, 2, "nor looked up");
    socket.close();
  });

  test("Instagram events of the Page's Instagram account are pushed, with their conversation", async () => {
    const socket = await dashboardSocket();
    const delivered = stack.mock.deliver({ platform: "instagram", userId: person(0, "instagram"), text: "ig hello" });
    const raw = rawWebhookBody(delivered.payload);
    assert.equal((await post(raw, signWebhook(raw, secret()))).status, 200);
    assert.ok(await waitFor(() => socket.received.length === 1));
    const [[item]] = socket.received;
    assert.equal(item.event.platform, "instagram");
    assert.equal(item.conversation.id, delivered.conversation.id);
    assert.equal(item.conversation.snippet, "ig hello");
    socket.close();
  });

  test("/api/live refuses other origins and plain requests", async () => {
    const other = await stack.mf.dispatchFetch(`${stack.url}/api/live`, { headers: { Upgrade: "websocket", Origin: "https://evil.example" } });
    assert.equal(other.status, 403);
    assert.equal((await fetch(`${stack.url}/api/live`)).status, 426);
  });
});
