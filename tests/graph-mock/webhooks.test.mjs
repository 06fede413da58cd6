/**
 * Self-test of the mock's webhooks (webhooks.mjs, mock.deliver, POST /__mock/webhook,
 * send-webhook.mjs): `node --test tests/graph-mock/`.
 */

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";

import { generateInbox } from "./inbox.mjs";
import { MOCK_APP_SECRET, MOCK_IG_ACCOUNT_ID, MOCK_PAGE_ID, MOCK_TOKEN, startMockGraph } from "./server.mjs";
import {
  WEBHOOK_KINDS, deliverToInbox, rawWebhookBody, sendWebhook, signWebhook, webhookPayload, wrongSignature,
} from "./webhooks.mjs";

const V = "v25.0";
const PSID = "2400000000000001";
const IGSID = "1700000000000002";

/** An independent HMAC of the received bytes, as a receiver computes it. */
const hmacOf = (bytes, secret) => `sha256=${createHmac("sha256", secret).update(bytes).digest("hex")}`;

/** A loopback receiver that records every request's raw bytes and headers and answers `status`. */
async function startReceiver(status = 200) {
  const received = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, bytes: Buffer.concat(chunks) });
      const answer = typeof status === "function" ? status(received.at(-1)) : status;
      res.writeHead(answer, { "Content-Type": "text/plain" });
      res.end(answer === 200 ? "EVENT_RECEIVED" : "refused");
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/webhook`, received,
    close: () => new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); }),
  };
}

describe("webhookPayload", () => {
  test("every kind, Messenger, in Meta's shape", () => {
    const at = 1795166930123;
    const events = WEBHOOK_KINDS.map((kind, n) => ({ kind, userId: PSID, text: "hi", mid: `m_${n}`, timestamp: at + n }));
    const payload = webhookPayload({ platform: "messenger", pageId: MOCK_PAGE_ID, events, time: at });
    assert.equal(payload.object, "page");
    assert.equal(payload.entry.length, 1);
    const [entry] = payload.entry;
    assert.deepEqual(Object.keys(entry), ["id", "time", "messaging"]);
    assert.equal(entry.id, MOCK_PAGE_ID);
    assert.equal(entry.time, at);
    const items = entry.messaging;
    const person = { id: PSID };
    const page = { id: MOCK_PAGE_ID };
    assert.deepEqual(items[0], { sender: person, recipient: page, timestamp: at, message: { mid: "m_0", text: "hi" } });
    assert.deepEqual(items[1], { sender: page, recipient: person, timestamp: at + 1, message: { mid: "m_1", text: "hi", is_echo: true } });
    assert.deepEqual(items[2].message_edit, { mid: "m_2", text: "hi", num_edit: 1 });
    assert.deepEqual(items[3].read, { watermark: at + 3 });
    assert.deepEqual(items[4].delivery, { mids: ["m_4"], watermark: at + 4 });
    assert.deepEqual(items[5].reaction, { mid: "m_5", action: "react", reaction: "love", emoji: "\u2764\ufe0f" });
    assert.deepEqual(items[6].postback, { title: "hi", payload: "GET_STARTED", mid: "m_6" });
    assert.deepEqual(items[7].referral, { ref: "spring-menu", source: "SHORTLINK", type: "OPEN_THREAD" });
    assert.ok(items[8].optin);
    const members = items.map((item) => Object.keys(item).filter((k) => !["sender", "recipient", "timestamp"].includes(k)));
    assert.deepEqual(members, [["message"], ["message"], ["message_edit"], ["read"], ["delivery"], ["reaction"], ["postback"], ["referral"], ["optin"]]);
    for (const item of items.slice(2)) assert.deepEqual([item.sender, item.recipient], [person, page]);
  });

  test("Instagram: object instagram, the account id, read by mid; fresh mids; unreact", () => {
    const payload = webhookPayload({
      platform: "instagram", pageId: MOCK_IG_ACCOUNT_ID,
      events: [{ kind: "message", userId: IGSID, text: "yo" }, { kind: "read", userId: IGSID, mid: "aWdfX" },
        { kind: "reaction", userId: IGSID, mid: "aWdfX", action: "unreact" }],
    });
    assert.equal(payload.object, "instagram");
    const [entry] = payload.entry;
    assert.equal(entry.id, MOCK_IG_ACCOUNT_ID);
    assert.deepEqual(entry.messaging[0].recipient, { id: MOCK_IG_ACCOUNT_ID });
    assert.match(entry.messaging[0].message.mid, /^aWdf[A-Za-z0-9_-]+$/);
    assert.ok(Math.abs(entry.messaging[0].timestamp - Date.now()) < 5000);
    assert.deepEqual(entry.messaging[1].read, { mid: "aWdfX" });
    assert.deepEqual(entry.messaging[2].reaction, { mid: "aWdfX", action: "unreact", reaction: "love" });
    assert.match(webhookPayload({ events: [{ kind: "message", userId: PSID }] }).entry[0].messaging[0].message.mid, /^m_/);
  });

  test("batches: entries grouped by Page id in order, standby items in standby", () => {
    const payload = webhookPayload({
      platform: "messenger", pageId: "111",
      events: [
        { kind: "message", userId: "1", text: "a" },
        { kind: "message", userId: "2", text: "b", pageId: "222" },
        { kind: "echo", userId: "1", text: "c" },
        { kind: "message", userId: "3", text: "d", standby: true },
        { kind: "read", userId: "2", pageId: "222", standby: true },
      ],
    });
    assert.deepEqual(payload.entry.map((e) => e.id), ["111", "222"]);
    assert.deepEqual(payload.entry[0].messaging.map((i) => i.message.text), ["a", "c"]);
    assert.deepEqual(payload.entry[0].standby.map((i) => i.message.text), ["d"]);
    assert.deepEqual(payload.entry[1].messaging.map((i) => i.message.text), ["b"]);
    assert.ok(payload.entry[1].standby[0].read);
    assert.throws(() => webhookPayload({ events: [{ kind: "nope", userId: "1" }] }), /unknown kind/);
    assert.throws(() => webhookPayload({ events: [{ kind: "message", userId: "x" }] }), /digits/);
    assert.throws(() => webhookPayload({ events: [] }), /non-empty/);
  });
});

describe("raw body and signature", () => {
  test("non-ASCII escaped as lower-case \\uXXXX; same value; slashes only on request", () => {
    const payload = webhookPayload({ events: [{ kind: "message", userId: PSID, text: "äöå é 🥐 \"q\" \\ a/b\n\u007f", mid: "m_x", timestamp: 1 }], time: 1 });
    const raw = rawWebhookBody(payload);
    assert.match(raw, /^[\x20-\x7e]+$/);
    assert.ok(raw.includes("\\u00e4\\u00f6\\u00e5 \\u00e9 \\ud83e\\udd50 \\\"q\\\" \\\\ a/b\\n\\u007f"), raw);
    assert.ok(!/\\u[0-9a-f]*[A-F]/.test(raw));
    assert.deepEqual(JSON.parse(raw), payload);
    assert.equal(raw, '{"object":"page","entry":[{"id":"1000000000000001","time":1,"messaging":[{"sender":{"id":"2400000000000001"},"recipient":{"id":"1000000000000001"},"timestamp":1,"message":{"mid":"m_x","text":"\\u00e4\\u00f6\\u00e5 \\u00e9 \\ud83e\\udd50 \\"q\\" \\\\ a/b\\n\\u007f"}}]}]}');
    assert.ok(rawWebhookBody(payload, { escapeSlashes: true }).includes("a\\/b"));
  });

  test("signWebhook is an HMAC-SHA256 of the raw bytes; a wrong one differs", () => {
    const raw = rawWebhookBody(webhookPayload({ events: [{ kind: "message", userId: PSID, text: "Grüße 👋" }] }));
    const signature = signWebhook(raw, MOCK_APP_SECRET);
    assert.match(signature, /^sha256=[0-9a-f]{64}$/);
    assert.equal(signature, hmacOf(Buffer.from(raw, "utf8"), MOCK_APP_SECRET));
    assert.equal(signWebhook(Buffer.from(raw), MOCK_APP_SECRET), signature);
    // Hashing the re-encoded (unescaped) JSON gives another signature: receivers must hash the bytes.
    assert.notEqual(hmacOf(JSON.stringify(JSON.parse(raw)), MOCK_APP_SECRET), signature);
    const wrong = wrongSignature(raw, MOCK_APP_SECRET);
    assert.match(wrong, /^sha256=[0-9a-f]{64}$/);
    assert.notEqual(wrong, signature);
  });
});

describe("sendWebhook", () => {
  let receiver;
  before(async () => { receiver = await startReceiver(); });
  after(() => receiver.close());

  test("POSTs JSON with a verifiable X-Hub-Signature-256; duplicates are identical bytes; overrides", async () => {
    const payload = webhookPayload({ events: [{ kind: "message", userId: PSID, text: "Zürich? ☕" }] });
    const results = await sendWebhook(receiver.url, payload, { appSecret: "s3cret", duplicate: true });
    assert.deepEqual(results, [{ status: 200, text: "EVENT_RECEIVED" }, { status: 200, text: "EVENT_RECEIVED" }]);
    const [a, b] = receiver.received.splice(0);
    assert.equal(a.method, "POST");
    assert.equal(a.headers["content-type"], "application/json");
    assert.equal(a.headers["x-hub-signature-256"], hmacOf(a.bytes, "s3cret"));
    assert.equal(a.bytes.toString("latin1"), rawWebhookBody(payload));
    assert.ok(a.bytes.equals(b.bytes));
    assert.equal(a.headers["x-hub-signature-256"], b.headers["x-hub-signature-256"]);

    await sendWebhook(receiver.url, payload, { appSecret: "s3cret", signature: "sha256=00" });
    assert.equal(receiver.received.pop().headers["x-hub-signature-256"], "sha256=00");
  });
});

describe("mock.deliver", () => {
  let mock;
  before(async () => { mock = await startMockGraph({ conversations: 60 }); });
  after(() => mock.close());

  const list = async (query) => {
    const res = await fetch(`${mock.url}/${V}/${MOCK_PAGE_ID}/conversations?access_token=${MOCK_TOKEN}&${query}`);
    assert.equal(res.status, 200);
    return (await res.json()).data;
  };

  test("a person's message tops the listing, with snippet, unread count, time; user_id finds it", async () => {
    const thread = mock.inbox.threads.filter((t) => t.platform === "messenger" && t.folder === "inbox")[3];
    const before = structuredClone(thread.fields);
    const startedMs = Date.now();
    const { conversation, payload, mid, userId, message } = mock.deliver({ platform: "messenger", conversationId: thread.id, text: "Noch offen? 🍰" });
    assert.equal(conversation.id, thread.id);
    assert.equal(userId, thread.person.id);
    assert.equal(conversation.snippet, "Noch offen? 🍰");
    assert.equal(conversation.unread_count, (before.unread_count ?? 0) + 1);
    assert.equal(conversation.message_count, before.message_count + 1);
    assert.ok(Date.parse(conversation.updated_time.replace("+0000", "Z")) >= Math.floor(startedMs / 1000) * 1000);
    assert.deepEqual(message.from, thread.person);
    assert.equal(payload.object, "page");
    assert.deepEqual(payload.entry[0].messaging[0].sender, { id: thread.person.id });
    assert.deepEqual(payload.entry[0].messaging[0].message, { mid, text: "Noch offen? 🍰" });

    const top = await list("fields=id,snippet,unread_count,updated_time&limit=3");
    assert.equal(top[0].id, thread.id);
    assert.equal(top[0].snippet, "Noch offen? 🍰");
    assert.equal(top[0].updated_time, conversation.updated_time);
    const byUser = await list(`user_id=${userId}&fields=id,messages.limit(1){id,message,from}`);
    assert.equal(byUser.length, 1);
    assert.equal(byUser[0].id, thread.id);
    assert.deepEqual(byUser[0].messages.data[0], { id: mid, message: "Noch offen? 🍰", from: thread.person });
    const messages = await (await fetch(`${mock.url}/${V}/${encodeURIComponent(thread.id)}/messages?access_token=t&fields=id,message`)).json();
    assert.deepEqual(messages.data[0], { id: mid, message: "Noch offen? 🍰" });
    const times = mock.inbox.threads.map((t) => t.updatedMs);
    assert.deepEqual(times, [...times].sort((x, y) => y - x));
  });

  test("by user id on Instagram; an echo clears unread; done threads reopen; same mid is not added twice", async () => {
    const ig = mock.inbox.threads.find((t) => t.platform === "instagram" && t.messages.length >= 20);
    const { conversation, payload, mid } = mock.deliver({ platform: "instagram", userId: ig.person.id, text: "hey" });
    assert.equal(conversation.id, ig.id);
    assert.equal(payload.object, "instagram");
    assert.equal(payload.entry[0].id, MOCK_IG_ACCOUNT_ID);
    assert.equal(ig.readable.length, 20);
    assert.equal(ig.readable[0].id, mid);
    const again = mock.deliver({ platform: "instagram", userId: ig.person.id, text: "hey", mid });
    assert.equal(again.conversation.message_count, conversation.message_count);

    const echo = mock.deliver({ conversationId: ig.id, text: "Hi! 👋", echo: true });
    assert.equal(echo.conversation.unread_count, undefined);
    assert.equal(echo.conversation.snippet, "Hi! 👋");
    const item = echo.payload.entry[0].messaging[0];
    assert.deepEqual([item.sender.id, item.recipient.id, item.message.is_echo], [MOCK_IG_ACCOUNT_ID, ig.person.id, true]);

    const done = mock.inbox.threads.find((t) => t.folder === "page_done");
    if (done) {
      mock.deliver({ conversationId: done.id, text: "one more thing" });
      assert.equal(done.folder, "inbox");
      assert.equal(done.fields.folder, "inbox");
    }
    assert.throws(() => mock.deliver({ conversationId: "t_0", text: "x" }), /no conversation/);
    assert.throws(() => mock.deliver({ conversationId: ig.id, platform: "messenger", text: "x" }), /instagram/);
  });

  test("edit changes the text; other kinds leave the inbox alone; other instances are untouched", () => {
    const thread = mock.inbox.threads.find((t) => t.platform === "messenger");
    const { mid } = mock.deliver({ conversationId: thread.id, text: "typo" });
    const edited = mock.deliver({ conversationId: thread.id, kind: "edit", mid, text: "fixed" });
    assert.equal(edited.conversation.snippet, "fixed");
    assert.deepEqual(edited.payload.entry[0].messaging[0].message_edit, { mid, text: "fixed", num_edit: 1 });
    const snapshot = structuredClone(mock.inbox.threads.map((t) => t.fields));
    const reaction = mock.deliver({ conversationId: thread.id, kind: "reaction" });
    assert.equal(reaction.mid, mid);
    assert.ok(reaction.payload.entry[0].messaging[0].reaction);
    assert.deepEqual(mock.inbox.threads.map((t) => t.fields), snapshot);
  });

  test("deliveries change only this instance: another mock of the same seed serves the deterministic inbox", async () => {
    const fresh = generateInbox({ seed: 1, conversations: 60 });
    assert.notDeepEqual(mock.inbox.threads.map((t) => t.id), fresh.threads.map((t) => t.id));
    const other = await startMockGraph({ conversations: 60 });
    try {
      assert.deepEqual(other.inbox.threads, fresh.threads);
      const res = await fetch(`${other.url}/${V}/${MOCK_PAGE_ID}/conversations?access_token=t&limit=5`);
      const ids = (await res.json()).data.map((c) => c.id);
      assert.deepEqual(ids, fresh.threads.filter((t) => t.platform === "messenger" && t.folder === "inbox").slice(0, 5).map((t) => t.id));
    } finally {
      await other.close();
    }
    const copy = generateInbox({ seed: 1, conversations: 60 });
    deliverToInbox(copy, { conversationId: copy.threads[10].id, text: "x" });
    assert.deepEqual(generateInbox({ seed: 1, conversations: 60 }).threads, fresh.threads);
  });
});

describe("POST /__mock/webhook and send-webhook.mjs", () => {
  let mock;
  let receiver;
  before(async () => {
    mock = await startMockGraph({ conversations: 60 });
    receiver = await startReceiver((request) => (request.headers["x-hub-signature-256"] === hmacOf(request.bytes, MOCK_APP_SECRET) ? 200 : 401));
  });
  after(async () => { await mock.close(); await receiver.close(); });

  const control = async (body) => {
    const res = await fetch(`${mock.url}/__mock/webhook`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json() };
  };

  test("delivers and sends a verifiable signed webhook; duplicates; bad signatures; errors", async () => {
    const { status, body } = await control({ url: receiver.url, appSecret: MOCK_APP_SECRET, duplicate: true });
    assert.equal(status, 200);
    assert.deepEqual(body.sent, [{ status: 200 }, { status: 200 }]);
    assert.equal(mock.inbox.threads[0].id, body.conversationId);
    assert.equal(mock.inbox.threads[0].messages[0].id, body.mid);
    const [a, b] = receiver.received.splice(0);
    assert.ok(a.bytes.equals(b.bytes));
    assert.match(a.bytes.toString("latin1"), /^[\x20-\x7e]+$/);
    assert.match(a.bytes.toString(), /f\\u00fcr zwei\? \\ud83c\\udf70/);
    const payload = JSON.parse(a.bytes);
    assert.equal(payload.entry[0].messaging[0].message.mid, body.mid);
    assert.equal(payload.entry[0].messaging[0].sender.id, mock.inbox.threads[0].person.id);

    const ig = mock.inbox.threads.find((t) => t.platform === "instagram");
    const bad = await control({ url: receiver.url, appSecret: MOCK_APP_SECRET, platform: "instagram", conversationId: ig.id, text: "x", badSignature: true });
    assert.deepEqual(bad.body.sent, [{ status: 401 }]);
    assert.equal(bad.body.conversationId, ig.id);
    const signed = receiver.received.pop();
    assert.match(signed.headers["x-hub-signature-256"], /^sha256=[0-9a-f]{64}$/);
    assert.equal(JSON.parse(signed.bytes).object, "instagram");
    const secretMismatch = await control({ url: receiver.url, appSecret: "another", text: "x" });
    assert.deepEqual(secretMismatch.body.sent, [{ status: 401 }]);

    assert.equal((await control({ appSecret: "s" })).status, 400);
    assert.equal((await control({ url: receiver.url, conversationId: "t_0" })).status, 400);
    assert.equal((await control({ url: receiver.url, kind: "nope" })).status, 400);
    assert.equal((await fetch(`${mock.url}/__mock/webhook`, { method: "POST", body: "{" })).status, 400);
    const unreachable = await control({ url: "http://127.0.0.1:9/webhook", text: "x" });
    assert.equal(unreachable.status, 502);
    receiver.received.splice(0);
  });

  test("the CLI sends through the control route", async () => {
    const script = fileURLToPath(new URL("./send-webhook.mjs", import.meta.url));
    const run = (args) => new Promise((resolve) => {
      execFile(process.execPath, [script, ...args], (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }));
    });
    const ok = await run(["--mock", mock.url, "--to", receiver.url, "--secret", MOCK_APP_SECRET, "--text", "from the CLI ✓"]);
    assert.equal(ok.code, 0, ok.stderr);
    const answer = JSON.parse(ok.stdout);
    assert.deepEqual(answer.sent, [{ status: 200 }]);
    assert.equal(mock.inbox.threads[0].fields.snippet, "from the CLI ✓");
    assert.equal(JSON.parse(receiver.received.pop().bytes).entry[0].messaging[0].message.text, "from the CLI ✓");
    const refused = await run(["--mock", mock.url, "--to", receiver.url, "--bad-signature"]);
    assert.equal(refused.code, 0, refused.stdout);
    assert.equal((await run(["--mock", mock.url, "--to", receiver.url, "--secret", "wrong"])).code, 1);
    assert.equal((await run(["--to", receiver.url])).code, 2);
  });
});
