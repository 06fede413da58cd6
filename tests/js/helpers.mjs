// Shared helpers of the JavaScript tests: one mock Graph per test file (started in `before`,
// closed in `after`), unique run ids, scenario base URLs, the request log, expected data, and
// the deep scan that proves no secret leaks out of an error or a page.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { request as httpRequest } from "node:http";
import { createServer } from "node:net";
import { after, before } from "node:test";

import { MOCK_APP_SECRET, MOCK_PAGE_ID, startMockGraph } from "../graph-mock/server.mjs";
import { reachableStrings } from "./reachable.mjs";

export { MOCK_APP_SECRET, MOCK_PAGE_ID };

/** A token the mock accepts that appears nowhere else (any non-empty token is accepted). */
export const TOKEN = "EAATestTok3nDoNotLeak0123456789";

/**
 * Starts a mock Graph in `before` and closes it in `after`. Returns a holder whose `mock` is
 * set once the mock runs: `const ctx = useMock(); … ctx.mock.url`.
 */
export function useMock(options = {}) {
  const ctx = { mock: null };
  before(async () => { ctx.mock = await startMockGraph({ port: 0, conversations: 60, ...options }); });
  after(async () => { await ctx.mock?.close(); });
  return ctx;
}

let counter = 0;
/** A run id no other test uses. */
export function runId(label = "run") {
  counter += 1;
  return `${label.replace(/[^A-Za-z0-9_-]/g, "-")}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

/** `baseUrl` for a scenario: `${mock.url}/_/id=ID;key=value;…`. */
export function scenarioUrl(mock, id, spec = "") {
  return `${mock.url}/_/id=${id}${spec ? `;${spec}` : ""}`;
}

/** The request log of a run, read over HTTP from `/__mock/log/{runId}`. */
export async function logOf(mock, id) {
  const res = await fetch(`${mock.url}/__mock/log/${encodeURIComponent(id)}`);
  assert.equal(res.status, 200);
  return res.json();
}

/** The Graph requests (preflights excluded) of a run. */
export async function requestsOf(mock, id) {
  return (await logOf(mock, id)).filter((entry) => entry.method !== "OPTIONS");
}

/** Common options of a call against a scenario. */
export function baseOptions(mock, id, spec = "", extra = {}) {
  return { pageId: MOCK_PAGE_ID, accessToken: TOKEN, baseUrl: scenarioUrl(mock, id, spec), ...extra };
}

/** The ids the mock serves for a platform and folder, in order. */
export function expectedIds(mock, { platform = "messenger", folder = "inbox" } = {}) {
  return mock.inbox.threads.filter((t) => t.platform === platform && t.folder === folder).map((t) => t.id);
}

/** hex HMAC-SHA256 of `message` with `key`. */
export function hmac(key, message) {
  return createHmac("sha256", key).update(message).digest("hex");
}

/** Awaits `promise`, which must reject, and returns what it rejected with. */
export async function rejection(promise) {
  let value;
  try {
    value = await promise;
  } catch (err) {
    return err;
  }
  assert.fail(`expected a rejection, got ${JSON.stringify(value)?.slice(0, 300)}`);
}

/** Resolves after `ms`. */
export const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

/** A loopback port with nothing listening on it (listened on, then closed). */
export async function closedPort() {
  const server = createServer();
  await new Promise((resolve) => { server.listen(0, "127.0.0.1", resolve); });
  const { port } = server.address();
  await new Promise((resolve) => { server.close(resolve); });
  return port;
}

/** Asserts that none of `secrets` (nor `access_token`) appears anywhere in `value`. */
export function assertNoSecrets(value, secrets, label = "value") {
  const needles = [...secrets.filter(Boolean), "access_token"];
  for (const text of reachableStrings(value)) {
    for (const needle of needles) {
      assert.ok(!text.includes(needle), `${label} leaks ${needle === "access_token" ? "access_token" : "a secret"}: ${text.slice(0, 400)}`);
    }
  }
}

/** Every item of an async iterable. */
export async function collect(iterable) {
  const out = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** Runs `iterable` to its error: `{items, err}` (fails when it does not throw). */
export async function collectUntilError(iterable) {
  const items = [];
  try {
    for await (const item of iterable) items.push(item);
  } catch (err) {
    return { items, err };
  }
  return assert.fail(`expected an error after ${items.length} items`);
}

/** The gaps between consecutive times. */
export const gaps = (times) => times.slice(1).map((at, n) => at - times[n]);

/**
 * POSTs a request that declares a `Content-Length` of `declared` bytes and sends the body only
 * once the server has answered (it never does here): how a test proves a server refuses an
 * oversized body from its length alone (413) without reading it. A server that answers early and
 * closes while a real upload is still being written makes the client's `fetch` fail instead, now
 * and then: this way there is no race. Resolves to the status.
 */
export function postDeclaredLength(url, declared, headers = {}) {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: "POST", headers: { ...headers, "content-length": String(declared) } });
    request.on("response", (response) => {
      resolve(response.statusCode);
      response.resume();
      request.destroy();
    });
    request.on("error", reject);
    request.flushHeaders();
  });
}
