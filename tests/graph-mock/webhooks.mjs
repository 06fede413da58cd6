/**
 * Webhooks as Meta sends them (Messenger Platform and Instagram messaging), and the mock inbox
 * reflecting a delivered message.
 *
 * - `webhookPayload({platform, pageId, events})`: the payload object in Meta's format.
 * - `rawWebhookBody(payload)`: the body text as Meta sends it (non-ASCII as `\uXXXX`, lower-case hex).
 * - `signWebhook(rawBody, appSecret)`: the `X-Hub-Signature-256` value, `sha256=<hex>`.
 * - `sendWebhook(url, payload, {appSecret, signature?, duplicate?})`: POSTs it, signed.
 * - `deliverToInbox(inbox, {...})`: what `mock.deliver(...)` does to a mock's inbox.
 *
 * See README.md ("Webhooks"). No dependencies.
 */

import { createHmac, randomBytes } from "node:crypto";

import { MOCK_IG_ACCOUNT_ID, MOCK_PAGE_ID } from "./constants.mjs";
import { IG_MESSAGE_PREFIX, INSTAGRAM_READABLE_MESSAGES, graphTime, peopleEdge, snippetOf } from "./inbox.mjs";

/** The kinds of messaging items `webhookPayload` makes. */
export const WEBHOOK_KINDS = ["message", "echo", "edit", "read", "delivery", "reaction", "postback", "referral", "other"];

const PLATFORMS = ["messenger", "instagram"];

/** A fresh message id in the platform's shape (Messenger `m_…`, Instagram `aWdf…`). */
export function newMid(platform) {
  return platform === "instagram"
    ? IG_MESSAGE_PREFIX + randomBytes(48).toString("base64url")
    : `m_${randomBytes(33).toString("base64url")}`;
}

/** One messaging item of `kind` between `pageId` and the person `userId`, at `timestamp`. */
function messagingItem(platform, pageId, event) {
  const { kind, userId } = event;
  if (!WEBHOOK_KINDS.includes(kind)) throw new Error(`webhookPayload: unknown kind ${JSON.stringify(kind)} (one of ${WEBHOOK_KINDS.join(", ")})`);
  if (typeof userId !== "string" || !/^\d+$/.test(userId)) throw new Error(`webhookPayload: userId must be digits, got ${JSON.stringify(userId)}`);
  const timestamp = event.timestamp ?? Date.now();
  const mid = event.mid ?? newMid(platform);
  const text = event.text ?? "";
  const person = { id: userId };
  const page = { id: pageId };
  // An echo is the Page's own message: the Page is the sender.
  const item = kind === "echo"
    ? { sender: page, recipient: person, timestamp }
    : { sender: person, recipient: page, timestamp };
  switch (kind) {
    case "message": item.message = { mid, text }; break;
    case "echo": item.message = { mid, text, is_echo: true }; break;
    case "edit": item.message_edit = { mid, text, num_edit: event.numEdit ?? 1 }; break;
    case "read": item.read = platform === "instagram" ? { mid } : { watermark: event.watermark ?? timestamp }; break;
    case "delivery": item.delivery = { mids: event.mids ?? [mid], watermark: event.watermark ?? timestamp }; break;
    case "reaction":
      item.reaction = {
        mid, action: event.action ?? "react", reaction: event.reaction ?? "love", emoji: event.emoji ?? "\u2764\ufe0f",
      };
      if (item.reaction.action === "unreact") delete item.reaction.emoji;
      break;
    case "postback": item.postback = { title: event.title ?? (text || "Get Started"), payload: event.payload ?? "GET_STARTED", mid }; break;
    case "referral": item.referral = { ref: event.ref ?? "spring-menu", source: "SHORTLINK", type: "OPEN_THREAD" }; break;
    default: item.optin = { type: "notification_messages", payload: event.payload ?? "WEEKLY_MENU", ref: event.ref ?? "weekly-menu" };
  }
  return item;
}

/**
 * The webhook payload object, in Meta's format: `{object: "page" | "instagram", entry: [{id, time,
 * messaging?: [...], standby?: [...]}]}`. Events go into one entry per Page (or Instagram account)
 * id, in order of first appearance (`event.pageId` overrides `pageId` for batches over several
 * Pages); `standby: true` events go into the entry's `standby` list (threads another app owns).
 * Per event: `kind` (see WEBHOOK_KINDS), `userId` (PSID / IGSID), `text`, `mid` (a fresh one if
 * absent), `timestamp` (ms, default now); optional extras: `numEdit`, `watermark`, `mids`,
 * `action`, `reaction`, `emoji`, `title`, `payload`, `ref`.
 * @param {{platform?: "messenger" | "instagram", pageId?: string, events: object[], time?: number}} options
 */
export function webhookPayload({ platform = "messenger", pageId, events, time } = {}) {
  if (!PLATFORMS.includes(platform)) throw new Error(`webhookPayload: platform must be messenger or instagram, got ${JSON.stringify(platform)}`);
  if (!Array.isArray(events) || events.length === 0) throw new Error("webhookPayload: events must be a non-empty array");
  const defaultPage = pageId ?? (platform === "instagram" ? MOCK_IG_ACCOUNT_ID : MOCK_PAGE_ID);
  const entries = new Map();
  for (const event of events) {
    const id = String(event.pageId ?? defaultPage);
    if (!entries.has(id)) entries.set(id, { id, time: time ?? Date.now() });
    const entry = entries.get(id);
    const list = event.standby ? "standby" : "messaging";
    (entry[list] ??= []).push(messagingItem(platform, id, event));
  }
  return { object: platform === "instagram" ? "instagram" : "page", entry: [...entries.values()] };
}

/**
 * The body text as Meta sends it: compact JSON, every non-ASCII character (and DEL) escaped as
 * `\uXXXX` with lower-case hex (`ä` → `\u00e4`, an emoji as its two UTF-16 surrogates). With
 * `{escapeSlashes: true}` also `/` as `\/` (as Graph's own JSON answers do).
 */
export function rawWebhookBody(payload, { escapeSlashes = false } = {}) {
  const text = JSON.stringify(payload)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return escapeSlashes ? text.replace(/\//g, "\\/") : text;
}

/** `sha256=` + lower-case hex HMAC-SHA256 of the raw body's bytes (a string is taken as UTF-8). */
export function signWebhook(rawBody, appSecret) {
  if (typeof appSecret !== "string" || appSecret === "") throw new Error("signWebhook: appSecret must be a non-empty string");
  return `sha256=${createHmac("sha256", appSecret).update(rawBody).digest("hex")}`;
}

/** A signature of the right shape that does not match: the correct one with its last hex digit changed. */
export function wrongSignature(rawBody, appSecret) {
  const right = signWebhook(rawBody, appSecret);
  const last = right.at(-1);
  return right.slice(0, -1) + (last === "0" ? "1" : "0");
}

/**
 * POSTs the payload to `url` as Meta does: `Content-Type: application/json`, `X-Hub-Signature-256`
 * over the raw bytes (or `signature`, verbatim, to test refusals), `User-Agent: facebookexternalua`.
 * `duplicate: true` sends the identical bytes a second time after the first answer (Meta's retries).
 * `payload` may also be a raw body string, sent as is.
 * @returns {Promise<{status: number, text: string}[]>} one per POST
 */
export async function sendWebhook(url, payload, { appSecret, signature, duplicate = false, escapeSlashes = false } = {}) {
  const body = typeof payload === "string" ? payload : rawWebhookBody(payload, { escapeSlashes });
  const headers = {
    "Content-Type": "application/json",
    "User-Agent": "facebookexternalua",
    "X-Hub-Signature-256": signature ?? signWebhook(body, appSecret),
  };
  const results = [];
  for (let n = 0; n < (duplicate ? 2 : 1); n += 1) {
    const res = await fetch(url, { method: "POST", headers, body: Buffer.from(body, "utf8"), redirect: "manual" });
    results.push({ status: res.status, text: await res.text() });
  }
  return results;
}

/** Finds the thread a delivery is for: by conversation id, by person id, else the platform's newest in `inbox`. */
function threadFor(inbox, { platform, conversationId, userId }) {
  let thread;
  if (conversationId !== undefined && conversationId !== null) {
    thread = inbox.byId.get(conversationId);
    if (!thread) throw new Error(`deliver: no conversation ${conversationId} in the mock inbox`);
  } else if (userId !== undefined && userId !== null) {
    thread = inbox.threads.find((t) => t.person.id === String(userId) && (!platform || t.platform === platform));
    if (!thread) throw new Error(`deliver: no conversation with the person ${userId}${platform ? ` on ${platform}` : ""} in the mock inbox`);
  } else {
    const wanted = platform ?? "messenger";
    thread = inbox.threads.find((t) => t.platform === wanted && t.folder === "inbox");
    if (!thread) throw new Error(`deliver: the mock inbox has no ${wanted} conversation in the inbox folder`);
  }
  if (platform && thread.platform !== platform) {
    throw new Error(`deliver: conversation ${thread.id} is on ${thread.platform}, not ${platform}`);
  }
  return thread;
}

/** Moves `thread` to the front of the inbox with `updated_time` now (never older than the newest thread). */
function touch(inbox, thread, nowMs) {
  const newest = inbox.threads[0]?.updatedMs ?? 0;
  thread.updatedMs = Math.max(nowMs, newest);
  thread.fields.updated_time = graphTime(thread.updatedMs);
  const at = inbox.threads.indexOf(thread);
  if (at > 0) {
    inbox.threads.splice(at, 1);
    inbox.threads.unshift(thread);
  }
}

/**
 * Delivers an event to the mock inbox, as Graph's inbox would reflect it, and returns the
 * matching webhook payload.
 *
 * - `kind: "message"` (default) or `"echo"` (or `echo: true`: the Page's own message): adds the
 *   message (newest first; Instagram keeps serving only the 20 newest), `message_count` + 1,
 *   `snippet` = the text, `updated_time` = now and the thread first in the inbox (so it tops the
 *   listing and `updatedSince` reads find it), `senders` gains the sender. A person's message:
 *   `unread_count` + 1 and a `page_done` thread back to `inbox`. An echo: `unread_count` gone (the
 *   Page answered). A `mid` already in the thread is not added twice (the payload is still made).
 * - `kind: "edit"`: the message `mid` (default: the person's newest) gets the new text (and the
 *   snippet, when it is the newest).
 * - Other kinds (`read`, `delivery`, `reaction`, `postback`, `referral`, `other`): the inbox is
 *   unchanged; the payload refers to `mid` (default: the thread's newest message).
 *
 * @param {{threads: object[], byId: Map<string, object>}} inbox a mock's inbox (mutated)
 * @param {{platform?: string, conversationId?: string, userId?: string, text?: string, mid?: string,
 *   echo?: boolean, kind?: string, timestamp?: number, standby?: boolean}} options
 * @returns {{conversation: object, message: object | null, mid: string, userId: string,
 *   platform: string, kind: string, payload: object}}
 */
export function deliverToInbox(inbox, options = {}) {
  const kind = options.kind ?? (options.echo ? "echo" : "message");
  if (!WEBHOOK_KINDS.includes(kind)) throw new Error(`deliver: unknown kind ${JSON.stringify(kind)} (one of ${WEBHOOK_KINDS.join(", ")})`);
  if (options.platform !== undefined && !PLATFORMS.includes(options.platform)) {
    throw new Error(`deliver: platform must be messenger or instagram, got ${JSON.stringify(options.platform)}`);
  }
  const thread = threadFor(inbox, options);
  const { platform, person } = thread;
  const page = thread.fields.participants.data.find((p) => p.id !== person.id);
  const nowMs = options.timestamp ?? Date.now();
  const text = options.text ?? "";
  let mid = options.mid;
  let message = null;

  if (kind === "message" || kind === "echo") {
    if (typeof options.text !== "string") throw new Error("deliver: text must be a string");
    mid ??= newMid(platform);
    const fromPerson = kind === "message";
    const existing = thread.messages.find((m) => m.id === mid);
    if (existing) {
      message = existing.fields;
    } else {
      touch(inbox, thread, nowMs);
      const [from, to] = fromPerson ? [person, page] : [page, person];
      message = {
        id: mid, created_time: graphTime(thread.updatedMs), message: text, from, to: { data: [to] },
        ...(platform === "messenger"
          ? { tags: { data: fromPerson ? [{ name: "inbox" }, { name: "source:chat" }] : [{ name: "source:chat" }, { name: "sent" }] } }
          : {}),
      };
      thread.messages.unshift({ id: mid, createdMs: thread.updatedMs, fields: message });
      thread.readable = platform === "instagram" ? thread.messages.slice(0, INSTAGRAM_READABLE_MESSAGES) : thread.messages;
      const { fields } = thread;
      fields.message_count = thread.messages.length;
      fields.snippet = snippetOf(message, "");
      if (fromPerson) {
        fields.unread_count = (fields.unread_count ?? 0) + 1;
        if (thread.folder === "page_done") thread.folder = fields.folder = "inbox";
      } else {
        delete fields.unread_count;
      }
      const senders = fields.senders?.data ?? [];
      if (!senders.some((p) => p.id === from.id)) {
        fields.senders = peopleEdge([person, page].filter((p) => p.id === from.id || senders.some((s) => s.id === p.id)));
      }
    }
  } else if (kind === "edit") {
    const target = mid !== undefined
      ? thread.messages.find((m) => m.id === mid)
      : thread.messages.find((m) => m.fields.from.id === person.id);
    if (!target) throw new Error(`deliver: no message ${mid ?? "from the person"} in conversation ${thread.id} to edit`);
    if (typeof options.text !== "string") throw new Error("deliver: text must be a string");
    mid = target.id;
    target.fields.message = text;
    if (thread.messages[0] === target) thread.fields.snippet = snippetOf(target.fields, "");
    message = target.fields;
  } else {
    mid ??= thread.messages[0].id;
  }

  const payload = webhookPayload({
    platform,
    pageId: page.id,
    events: [{ kind, userId: person.id, text, mid, timestamp: nowMs, standby: options.standby }],
    time: nowMs,
  });
  return {
    conversation: structuredClone(thread.fields), message: message && structuredClone(message),
    mid, userId: person.id, platform, kind, payload,
  };
}
