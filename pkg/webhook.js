// Webhooks: what Graph pushes to a Page's app, verified and read (API.md "Webhooks"). The
// decisions (signature, handshake, payload, status) are the Rust core's (src/webhook); this
// module reads what only JavaScript can read: the request, its body (bounded: a body over the
// limit is never read whole) and the bytes of a `rawBody`. The body is parsed by the engine's own
// `JSON.parse` (called from the wasm, after the signature check), and each event's `raw` is the
// messaging item of that parse, so that it is exactly what Graph sent.
//
// The options arrive already read by the option boundary (options.js); what the sender sent
// never makes these functions throw.
import * as wasm from "./gen/page_conversations.js";
import { InvalidOptionsError, WebhookError } from "./errors.js";

/** The largest body read, in bytes: `MAX_BODY_BYTES` of src/webhook/mod.rs (1 MB, decimal). */
export const MAX_BODY_BYTES = 1_000_000;
/** `sha256=` and 64 hex digits: a longer `X-Hub-Signature-256` never verifies, and is not passed on. */
const SIGNATURE_LENGTH = 71;
const EMPTY = new Uint8Array(0);
const encoder = new TextEncoder();

/**
 * `handleWebhook(request, { appSecret, verifyToken })` with the options read: the answer to send
 * back and the events of a verified `POST`. Throws InvalidOptionsError for bad options or a value
 * that is not a readable `Request`; never for what the sender sent.
 * @param {unknown} request
 * @param {Record<string, unknown>} plain
 * @returns {Promise<{ response: Response, events: object[] }>}
 */
export async function handleWebhook(request, plain) {
  wasm.checkWebhookOptions(plain, true);
  const { method, url, signature, contentLength, body } = readRequest(request);
  let read = { bytes: EMPTY, overLimit: false };
  if (method === "POST") read = await readBody(body, contentLength);
  const answer = wasm.webhookHandle(
    method, method === "GET" ? queryOf(url) : "", signatureText(signature), read.bytes, read.overLimit,
    plain.appSecret, plain.verifyToken,
  );
  const { status, body: text, events } = answer;
  const headers = { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" };
  if (status === 405) headers.allow = "GET, POST";
  return { response: new Response(text, { status, headers }), events };
}

/**
 * `verifyWebhookSignature(rawBody, signatureHeader, appSecret)` with `appSecret` read as
 * `plain.appSecret`. A body over MAX_BODY_BYTES never verifies (as handleWebhook refuses it).
 * @returns {boolean}
 */
export function verifyWebhookSignature(rawBody, signatureHeader, plain) {
  wasm.checkWebhookOptions(plain, false);
  const bytes = bodyBytes(rawBody);
  if (signatureHeader !== null && signatureHeader !== undefined && typeof signatureHeader !== "string") {
    throw refusal("signatureHeader", "must be a string (the X-Hub-Signature-256 header) or null");
  }
  const signature = signatureText(signatureHeader ?? null);
  if (bytes === null || signature === null) return false;
  return wasm.webhookVerify(bytes, signature, plain.appSecret);
}

/**
 * `parseWebhookEvents(payload)`: the events of a payload (its JSON text, or the parsed value).
 * Throws WebhookError for anything else. `raw` comes from a fresh `JSON.parse`, never the
 * caller's own objects.
 * @returns {object[]}
 */
export function parseWebhookEvents(payload) {
  let text = payload;
  if (typeof payload === "object" && payload !== null) {
    try {
      text = JSON.stringify(payload);
    } catch {
      throw notPayload("it could not be turned into JSON (a cycle, a BigInt, or reading it threw)");
    }
  }
  if (typeof text !== "string") throw notPayload("the payload is not a JSON object or its text");
  const bytes = text.length > MAX_BODY_BYTES ? null : encoder.encode(text);
  if (bytes === null || bytes.length > MAX_BODY_BYTES) throw notPayload(`it is longer than ${MAX_BODY_BYTES} bytes`);
  const answer = wasm.webhookParse(bytes);
  if (typeof answer.error === "string") throw new WebhookError(answer.error);
  return answer.events;
}

/**
 * What handleWebhook reads of a `Request`, each property once. Anything that is not a readable
 * `Request` (or whose POST body was already read) is InvalidOptionsError with option "request".
 */
function readRequest(request) {
  if (typeof request !== "object" || request === null) throw refusal("request", "must be a Request");
  let read;
  try {
    const headers = request.headers;
    const method = request.method;
    read = {
      method, url: request.url, body: request.body, bodyUsed: method === "POST" && request.bodyUsed === true,
      signature: headers.get("x-hub-signature-256"), contentLength: headers.get("content-length"),
    };
  } catch {
    throw refusal("request", "could not be read as a Request (reading it threw)");
  }
  const { method, url, signature, contentLength, body } = read;
  const text = (value) => value === null || typeof value === "string";
  if (typeof method !== "string" || typeof url !== "string" || !text(signature) || !text(contentLength)) {
    throw refusal("request", "must be a Request");
  }
  if (read.bodyUsed) throw refusal("request", "its body was already read: hand the request to handleWebhook before reading it");
  return { method, url, signature, contentLength, body };
}

/**
 * The body of a POST, read up to MAX_BODY_BYTES: `{ bytes }`, or `{ overLimit: true }` as soon as
 * it is known to be longer (its Content-Length, or the bytes read so far), without reading the
 * rest. A body whose reading fails (the sender went away) is what was read: its signature then
 * fails.
 */
async function readBody(body, contentLength) {
  if (body === null || body === undefined) return { bytes: EMPTY, overLimit: false };
  const declared = contentLength !== null && /^\s*\d+\s*$/.test(contentLength) ? Number(contentLength) : null;
  if (declared !== null && declared > MAX_BODY_BYTES) {
    cancel(body);
    return { bytes: EMPTY, overLimit: true };
  }
  let reader;
  try {
    reader = body.getReader();
  } catch {
    throw refusal("request", "its body could not be read (it is locked or was already read)");
  }
  const chunks = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || !(value instanceof Uint8Array)) break;
      total += value.byteLength;
      if (total > MAX_BODY_BYTES) {
        cancel(reader);
        return { bytes: EMPTY, overLimit: true };
      }
      chunks.push(value);
    }
  } catch {
    // The stream failed: what was read is checked as it is.
  }
  try {
    reader.releaseLock();
  } catch {
    // A read may still be pending; nothing else to give back.
  }
  const bytes = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return { bytes, overLimit: false };
}

/** Cancels a stream or reader without waiting, ignoring failures. */
function cancel(stream) {
  try {
    Promise.resolve(stream.cancel()).catch(() => {});
  } catch {
    // Nothing to cancel.
  }
}

/** The query of a URL (after `?`, before `#`), "" without one. */
function queryOf(url) {
  const start = url.indexOf("?");
  if (start < 0) return "";
  const end = url.indexOf("#", start);
  return url.slice(start + 1, end < 0 ? url.length : end);
}

/** A signature header to pass on: null when absent or too long to be one. */
function signatureText(header) {
  return typeof header === "string" && header.length <= SIGNATURE_LENGTH ? header : null;
}

/**
 * The bytes of a `rawBody` (a string as UTF-8, an ArrayBuffer, a typed array or DataView), read
 * through the built-in getters only; null when longer than MAX_BODY_BYTES. Anything else is
 * InvalidOptionsError.
 */
function bodyBytes(rawBody) {
  if (typeof rawBody === "string") {
    const bytes = rawBody.length > MAX_BODY_BYTES ? null : encoder.encode(rawBody);
    return bytes !== null && bytes.length <= MAX_BODY_BYTES ? bytes : null;
  }
  let bytes;
  try {
    bytes = viewOf(rawBody);
  } catch {
    throw refusal("rawBody", "could not be read (a detached buffer?)");
  }
  if (bytes === undefined) throw refusal("rawBody", "must be a string, an ArrayBuffer or a Uint8Array");
  return bytes.length > MAX_BODY_BYTES ? null : bytes;
}

/** Built-in getters, read once: a caller's own properties are never consulted. */
const getter = (prototype, name) => Object.getOwnPropertyDescriptor(prototype, name).get;
const TYPED = Object.getPrototypeOf(Uint8Array.prototype);
const typedGetters = ["buffer", "byteOffset", "byteLength"].map((name) => getter(TYPED, name));
const viewGetters = ["buffer", "byteOffset", "byteLength"].map((name) => getter(DataView.prototype, name));
const bufferLength = getter(ArrayBuffer.prototype, "byteLength");

/** A Uint8Array over the bytes of an ArrayBuffer or an ArrayBuffer view; undefined otherwise. */
function viewOf(value) {
  if (typeof value !== "object" || value === null) return undefined;
  try {
    return new Uint8Array(value, 0, bufferLength.call(value));
  } catch {
    // Not an ArrayBuffer.
  }
  if (!ArrayBuffer.isView(value)) return undefined;
  let getters = typedGetters;
  try {
    typedGetters[0].call(value);
  } catch {
    getters = viewGetters;
  }
  const [buffer, offset, length] = getters.map((get) => get.call(value));
  return new Uint8Array(buffer, offset, length);
}

/** WebhookError for a payload refused before the core saw it. */
function notPayload(reason) {
  return new WebhookError(`Not a Page or Instagram webhook payload: ${reason}`);
}

/** InvalidOptionsError for an argument. */
function refusal(option, reason) {
  return new InvalidOptionsError(`Invalid option "${option}": ${reason}`, { option });
}
