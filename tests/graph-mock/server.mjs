/**
 * A mock of the Facebook Graph API's Page conversations endpoints, for tests, demos and
 * benchmarks. Loopback only, no dependencies. See README.md for the scenario protocol.
 *
 * Library: `const mock = await startMockGraph({ port, seed, conversations, lifetimeMs })`.
 * CLI: `node tests/graph-mock/server.mjs [--port N] [--seed N] [--conversations N] [--lifetime-s N]`
 * prints one JSON line `{"url","pageId","igAccountId","appSecret","token"}` once listening.
 */

import { createHmac } from "node:crypto";
import { realpathSync } from "node:fs";
import { STATUS_CODES, createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import {
  LATEST_VERSION, MOCK_APP_SECRET, MOCK_IG_ACCOUNT_ID, MOCK_PAGE_ID, MOCK_TOKEN, OLDEST_LIVE_VERSION,
} from "./constants.mjs";
import { GraphRequestError, envelope, graphError, scenarioError } from "./errors.mjs";
import { authFault, faultUsageHeaders, positionOf, seededFault } from "./faults.mjs";
import { rateLimitKeyOf, serveGraph } from "./graph.mjs";
import { generateInbox } from "./inbox.mjs";
import { withOddTypes } from "./odd.mjs";
import { randomPlan, randomTruth, randomWorld } from "./random.mjs";
import { faultApplies, hasFault, parseScenario, usageHeaders } from "./scenario.mjs";
import { deliverToInbox, sendWebhook, wrongSignature, rawWebhookBody } from "./webhooks.mjs";

export {
  LATEST_VERSION, MOCK_APP_SECRET, MOCK_IG_ACCOUNT_ID, MOCK_PAGE_ID, MOCK_TOKEN, OLDEST_LIVE_VERSION,
} from "./constants.mjs";

const JSON_TYPE = "application/json; charset=UTF-8";
const CORS = { "Access-Control-Allow-Origin": "*" };
const PROOF_WINDOW_S = 300;

/** `vMAJOR.MINOR` as a comparable number, or null. */
function versionNumber(version) {
  const match = /^v(\d+)\.(\d+)$/.exec(version ?? "");
  return match ? Number(match[1]) * 1000 + Number(match[2]) : null;
}

/**
 * The version Graph serves a path with (its `facebook-api-version` header): the requested one,
 * or for an expired version (below OLDEST_LIVE_VERSION) the oldest live one, as Graph silently
 * does; a path without a version is served with the latest.
 */
export function servedVersionOf(path) {
  const requested = path.split("/").filter(Boolean)[0];
  const number = versionNumber(requested);
  if (number === null) return LATEST_VERSION;
  return number < versionNumber(OLDEST_LIVE_VERSION) ? OLDEST_LIVE_VERSION : requested;
}

/**
 * Encodes JSON the way Graph does: non-ASCII as `\uXXXX` escapes and `/` as `\/`.
 * (Both only ever occur inside strings, so the result is equivalent JSON.)
 */
function graphJson(value) {
  return JSON.stringify(value)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replace(/\//g, "\\/");
}

/**
 * `shape=KIND`: a 200 answer that is JSON but not a listing: `data` an object (`data`), `paging` a
 * string (`paging`), an array instead of an object (`scalar`), or a `next` link with neither
 * cursors nor a query to continue from (`link`).
 */
function wrongShape(body, kind) {
  switch (kind) {
    case "data": return { ...body, data: {} };
    case "paging": return { ...body, paging: "next" };
    case "scalar": return [body];
    default: return { data: body.data ?? [], paging: { next: "https://graph.facebook.com/v25.0/1000000000000001/conversations" } };
  }
}

/** The query as a plain object without `access_token`; a repeated key gives an array. */
function queryObject(params) {
  const out = {};
  for (const key of new Set(params.keys())) {
    if (key === "access_token") continue;
    const values = params.getAll(key);
    out[key] = values.length === 1 ? values[0] : values;
  }
  return out;
}

/** Where the request put its token(s): `{tokens, tokenIn}` (empty values count as sent, not as tokens). */
function tokensOf(req, params) {
  const inQuery = params.getAll("access_token");
  const auth = /^(?:Bearer|OAuth)\s+(\S*)\s*$/i.exec(req.headers.authorization ?? "");
  const sent = [...inQuery, ...(auth ? [auth[1]] : [])];
  const tokenIn = inQuery.length && auth ? "both" : inQuery.length ? "query" : auth ? "header" : null;
  return { sent, token: sent.find((t) => t !== "") ?? null, tokenIn };
}

/** hex HMAC-SHA256 of `message` keyed with the mock's app secret. */
function hmac(message) {
  return createHmac("sha256", MOCK_APP_SECRET).update(message).digest("hex");
}

/**
 * Checks the token and the proof as Graph does.
 * @throws GraphRequestError 104/2500 (no token), 210 (two tokens), 100 (proof).
 */
function checkCredentials({ sent, token }, params, path, scenario) {
  if (sent.length > 1) {
    throw graphError(210, "(#210) A page access token is required to request this resource. Send the access token only once.");
  }
  if (token === null) {
    if (/^\/[^/]*\/me(\/|$)/.test(path)) {
      throw graphError(2500, "An active access token must be used to query information about the current user.");
    }
    throw graphError(104, "An access token is required to request this resource.");
  }
  const proof = params.get("appsecret_proof");
  const time = params.get("appsecret_time");
  if (proof !== null && scenario.proofCheck) {
    let expected = hmac(token);
    if (time !== null) {
      if (!/^\d+$/.test(time) || Math.abs(Date.now() / 1000 - Number(time)) > PROOF_WINDOW_S) {
        throw graphError(100, "Invalid appsecret_time", { type: "GraphMethodException" });
      }
      expected = hmac(`${token}|${time}`);
    }
    if (proof !== expected) {
      throw graphError(100, "Invalid appsecret_proof provided in the API argument", { type: "GraphMethodException" });
    }
  } else if (proof === null && scenario.requireProof) {
    throw graphError(100, "API calls from the server require an appsecret_proof argument", { type: "GraphMethodException" });
  }
}

/** An HTML error page such as a proxy in front of Graph would send (`echo`: with the request URL and token). */
function htmlPage(status, echo) {
  const title = `${status} ${STATUS_CODES[status] ?? "Error"}`;
  const echoed = echo ? `<p>Request: ${echo.url}</p><p>Authorization: Bearer ${echo.token ?? ""}</p>` : "";
  return `<html><head><title>${title}</title></head><body><h1>${title}</h1>${echoed}<hr><center>proxy</center></body></html>`;
}

/** `echo=all`: an error envelope that repeats the request URL (query token and proof included) and the token. */
function echoEverything(body, echo) {
  const error = { ...body.error };
  error.message = `${error.message} (request: ${echo.url})`;
  error.error_user_title = `Token ${echo.token ?? ""}`;
  error.error_user_msg = `Your request ${echo.url} used the access token ${echo.token ?? ""}`;
  error.error_data = { url: echo.url, access_token: echo.token };
  return { error };
}

/** Writes a whole reply. */
function send(res, status, headers, body) {
  res.writeHead(status, { ...CORS, ...headers, "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

/** Writes the status, the headers and half the body, then destroys the socket. */
function sendAndReset(res, status, headers, body) {
  const bytes = Buffer.from(body);
  res.writeHead(status, { ...CORS, ...headers, "Content-Length": bytes.length });
  res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => setImmediate(() => res.destroy()));
}

/** One piece of an endless body: conversations, 64 KiB of them. */
const ENDLESS_CHUNK = Buffer.from(`{"id":"t_endless","updated_time":"2026-01-01T00:00:00+0000","snippet":"${"x".repeat(960)}"},`.repeat(64));

/** What `endless=length` declares as the body's length: 1 GiB. */
const ENDLESS_DECLARED_BYTES = 1024 * 1024 * 1024;

/**
 * `endless=1`: a 200 JSON answer whose body never ends (`{"data":[` then conversations, as fast
 * as the client reads) until the client goes away; `endless=length` declares 1 GiB as its
 * `Content-Length` too. `entry.bytesSent` counts what was written.
 */
function sendEndless(res, headers, kind, entry) {
  const length = kind === "length" ? { "Content-Length": ENDLESS_DECLARED_BYTES } : {};
  res.writeHead(200, { ...CORS, ...headers, ...length });
  entry.bytesSent = 0;
  let open = true;
  res.once("close", () => { open = false; });
  const write = (bytes) => { entry.bytesSent += bytes.length; return res.write(bytes); };
  const pump = () => {
    while (open && write(ENDLESS_CHUNK)) { /* until the socket pushes back */ }
    if (open) res.once("drain", pump);
  };
  write(Buffer.from('{"data":['));
  pump();
}

/** Waits `ms`; resolves false at once if the client goes away meanwhile. */
function waitUnlessClosed(ms, res) {
  return new Promise((resolve) => {
    const onClose = () => { clearTimeout(timer); resolve(false); };
    const timer = setTimeout(() => { res.off("close", onClose); resolve(true); }, ms);
    res.once("close", onClose);
  });
}

/**
 * Starts the mock Graph server on 127.0.0.1.
 * @param {{port?: number, seed?: number, conversations?: number, lifetimeMs?: number}} [options]
 * @returns {Promise<{url: string, pageId: string, igAccountId: string, appSecret: string,
 *   token: string, inbox: {threads: object[], byId: Map<string, object>},
 *   close: () => Promise<void>, log: (runId: string) => object[]}>}
 */
export async function startMockGraph({ port = 0, seed = 1, conversations = 250, lifetimeMs = 30 * 60 * 1000 } = {}) {
  const inbox = generateInbox({ seed, conversations });
  /** Per run id: Graph request count, listing count, and the request log. */
  const runs = new Map();
  const runOf = (id) => {
    if (!runs.has(id)) runs.set(id, { requests: 0, listings: 0, log: [], positions: new Map(), rates: new Map() });
    return runs.get(id);
  };
  let salt = 0;
  let url = "";

  /** Adds a delivered message (or other event) to this mock's inbox; see webhooks.mjs. */
  const deliver = (options) => deliverToInbox(inbox, options);

  /**
   * `POST /__mock/webhook`: delivers to the inbox, then sends the signed webhook to `url`.
   * Answers `{sent: [{status}], conversationId, mid, userId, platform, kind}`; 400 for a bad
   * request, 502 when the receiver cannot be reached.
   */
  const serveWebhook = async (req, res) => {
    const reply = (status, body) => send(res, status, { "Content-Type": JSON_TYPE }, JSON.stringify(body));
    if (req.method !== "POST") return reply(405, { error: "POST a JSON body: {url, appSecret, text?, conversationId?, platform?, kind?, duplicate?, badSignature?}" });
    let request;
    try {
      request = JSON.parse(await readBody(req, 64 * 1024));
    } catch (err) {
      return reply(400, { error: `the body must be a JSON object: ${err.message}` });
    }
    if (request === null || typeof request !== "object" || Array.isArray(request)) return reply(400, { error: "the body must be a JSON object" });
    const { url: to, appSecret = MOCK_APP_SECRET, text = DEFAULT_WEBHOOK_TEXT, conversationId, userId, platform, kind, mid, duplicate, badSignature, standby } = request;
    if (typeof to !== "string" || !/^https?:\/\//.test(to)) return reply(400, { error: "url must be an http(s) URL" });
    if (typeof appSecret !== "string" || appSecret === "") return reply(400, { error: "appSecret must be a non-empty string" });
    let delivered;
    try {
      delivered = deliver({ conversationId, userId, platform, kind, text, mid, standby: standby === true });
    } catch (err) {
      return reply(400, { error: err.message });
    }
    const signature = typeof badSignature === "string" ? badSignature
      : badSignature ? wrongSignature(rawWebhookBody(delivered.payload), appSecret) : undefined;
    let sent;
    try {
      sent = await sendWebhook(to, delivered.payload, { appSecret, signature, duplicate: duplicate === true });
    } catch (err) {
      return reply(502, { error: `could not send the webhook to ${to}: ${err.cause?.message ?? err.message}`, conversationId: delivered.conversation.id, mid: delivered.mid });
    }
    return reply(200, {
      sent: sent.map(({ status }) => ({ status })), conversationId: delivered.conversation.id, mid: delivered.mid,
      userId: delivered.userId, platform: delivered.platform, kind: delivered.kind,
    });
  };

  /** `/__mock/...`: the request log of a run, the truth of a random world, and a health check. */
  const serveMock = (req, res, path, params) => {
    if (path === "/__mock/webhook") return serveWebhook(req, res);
    const logMatch = /^\/__mock\/log\/(.*)$/.exec(path);
    const randomMatch = /^\/__mock\/random\/(\d+)(?:\/([^/]+))?$/.exec(path);
    if (randomMatch) {
      const limit = /^\d+$/.test(params.get("limit") ?? "") ? Number(params.get("limit")) : undefined;
      const options = { limit, ...randomOverrides(params) };
      const body = randomMatch[2] === undefined
        ? randomInbox(Number(randomMatch[1]), options)
        : randomMessages(Number(randomMatch[1]), decodeURIComponent(randomMatch[2]), options);
      if (body === null) return send(res, 404, { "Content-Type": JSON_TYPE }, JSON.stringify({ error: "unknown conversation" }));
      return send(res, 200, { "Content-Type": JSON_TYPE }, JSON.stringify(body));
    }
    if (path === "/__mock/health") return send(res, 200, { "Content-Type": JSON_TYPE }, JSON.stringify({ ok: true }));
    if (logMatch) {
      let id = logMatch[1];
      try { id = decodeURIComponent(id); } catch { /* use it as sent */ }
      return send(res, 200, { "Content-Type": JSON_TYPE }, JSON.stringify(runs.get(id)?.log ?? []));
    }
    return send(res, 404, { "Content-Type": JSON_TYPE }, JSON.stringify({ error: "unknown mock endpoint" }));
  };

  /** Handles one request: scenario prefix, logging, faults, credentials, then Graph itself. */
  const handle = async (req, res) => {
    const target = new URL(req.url, url);
    const prefixMatch = /^\/_\/([^/]*)(\/.*)?$/.exec(target.pathname);
    const path = prefixMatch ? (prefixMatch[2] ?? "/") : target.pathname;
    if (!prefixMatch && path.startsWith("/__mock/")) return serveMock(req, res, path, target.searchParams);

    const scenario = parseScenario(prefixMatch ? prefixMatch[1] : null);
    const run = runOf(scenario.id);
    const params = target.searchParams;
    const credentials = tokensOf(req, params);
    const servedVersion = servedVersionOf(path);
    const entry = {
      method: req.method, path, query: queryObject(params), tokenIn: credentials.tokenIn,
      tokenOk: credentials.token !== null, proof: params.get("appsecret_proof"),
      proofTime: params.get("appsecret_time"), headers: Object.keys(req.headers), at: Date.now(),
      status: null, faulted: false, servedVersion,
    };
    run.log.push(entry);
    // Graph names the version it served on every answer.
    const versionHeader = { "facebook-api-version": servedVersion };

    if (req.method === "OPTIONS") {
      if (scenario.preflight) {
        // Graph refusing the preflight: an error status, a JSON error nobody can read (no CORS
        // headers at all), so the browser fails the request before sending it.
        entry.status = scenario.preflight;
        const text = graphJson(envelope(scenarioError({ code: 190, status: scenario.preflight }, credentials.token)));
        res.writeHead(scenario.preflight, {
          ...versionHeader, "Content-Type": JSON_TYPE, "Content-Length": Buffer.byteLength(text),
        });
        return res.end(text);
      }
      entry.status = 204;
      res.writeHead(204, {
        ...CORS, ...versionHeader, "Access-Control-Allow-Headers": "Authorization",
        "Access-Control-Allow-Methods": "GET", "Access-Control-Max-Age": "600", "Content-Length": 0,
      });
      return res.end();
    }

    run.requests += 1;
    // Seeded faults (`faults=SEED`, `authat=N`): decided per position and attempt.
    let fault = null;
    if (scenario.faults !== undefined || scenario.authAt !== undefined) {
      const position = positionOf(path, params);
      if (!run.positions.has(position)) run.positions.set(position, { index: run.positions.size + 1, attempts: 0 });
      const state = run.positions.get(position);
      state.attempts += 1;
      Object.assign(entry, { position, positionIndex: state.index, attempt: state.attempts });
      fault = state.index === scenario.authAt ? authFault() : seededFault(scenario, position, state.attempts);
      entry.fault = fault ? fault.kind : null;
      if (fault) entry.faultInfo = fault;
    }
    const hit = !fault && hasFault(scenario) && faultApplies(scenario, run.requests);
    entry.faulted = hit || fault !== null;
    const echo = scenario.echoAll ? { url: `${url}${req.url}`, token: credentials.token } : null;
    const headers = {
      ...versionHeader, ...usageHeaders(scenario, credentials.token),
      ...(fault?.kind === "ratelimit-usage" ? faultUsageHeaders(fault.eta) : {}),
    };
    const slow = fault ? fault.slowMs : hit && scenario.slow;
    if (slow && !(await waitUnlessClosed(slow, res))) {
      entry.abandoned = true;
      return;
    }

    if (hit && scenario.redirect) {
      // `redirect=3XX`: to `redirectport`'s loopback server, else back to this mock under the
      // run id `ID-followed` (its log shows whether anything followed), path and query kept.
      entry.status = scenario.redirect;
      const to = scenario.redirectPort ? `http://127.0.0.1:${scenario.redirectPort}` : `${url}/_/id=${scenario.id}-followed`;
      return send(res, scenario.redirect, { ...headers, Location: `${to}${path}${target.search}` }, "");
    }
    if (hit && scenario.endless) {
      entry.status = 200;
      return sendEndless(res, { ...headers, "Content-Type": JSON_TYPE }, scenario.endless, entry);
    }
    const html = fault ? fault.kind === "html" && fault.status : hit && scenario.html;
    if (html) {
      entry.status = html;
      return send(res, html, { ...headers, "Content-Type": "text/html; charset=utf-8" }, htmlPage(html, echo));
    }
    let status = 200;
    let body;
    try {
      if (fault?.code) {
        throw scenarioError({ code: fault.code, subcode: fault.subcode, status: fault.status }, credentials.token);
      }
      if (hit && (scenario.error || scenario.status)) {
        throw scenarioError({ code: 1, ...scenario.error, status: scenario.status }, credentials.token);
      }
      checkCredentials(credentials, params, path, scenario);
      if (req.method !== "GET") {
        throw graphError(100, `Unsupported ${req.method.toLowerCase()} request.`, { type: "GraphMethodException" });
      }
      // `ratelimit=N`: at most N requests per Page within any sliding second (`ratewindow`; rejected
      // ones count too).
      const rateKey = scenario.rateLimit ? rateLimitKeyOf(path, inbox) : null;
      if (rateKey !== null) {
        const recent = (run.rates.get(rateKey) ?? []).filter((at) => at > entry.at - scenario.rateWindowMs);
        const over = recent.length >= scenario.rateLimit;
        recent.push(entry.at);
        run.rates.set(rateKey, recent);
        if (over) {
          entry.rateLimited = true;
          throw scenarioError({ code: 613, status: 400 }, credentials.token);
        }
      }
      body = serveGraph({
        inbox, baseUrl: url + (prefixMatch ? `/_/${prefixMatch[1]}` : ""), path, query: params,
        token: credentials.token, mode: { legacy: scenario.legacy, repeat: scenario.repeat },
        random: scenario.random,
        note: (info) => { entry.random = info; },
        nextListingEmpty: () => {
          run.listings += 1;
          return scenario.emptyForever || run.listings <= scenario.empty;
        },
        salt: () => (salt += 1),
      });
    } catch (err) {
      if (!(err instanceof GraphRequestError)) throw err;
      status = scenario.env200 || params.get("suppress_http_code") === "1" ? 200 : err.status;
      body = envelope(err);
      if (echo) body = echoEverything(body, echo);
    }
    if (scenario.odd && status === 200) body = withOddTypes(body, path);
    if (hit && scenario.shape && status === 200) body = wrongShape(body, scenario.shape);
    let text = graphJson(body);
    if (fault ? fault.kind === "truncate" : hit && scenario.truncate) {
      status = 200;
      text = text.slice(0, Math.floor(text.length / 2));
    }
    entry.status = status;
    const jsonHeaders = { ...headers, "Content-Type": JSON_TYPE };
    if (fault ? fault.kind === "reset" : hit && scenario.reset) return sendAndReset(res, status, jsonHeaders, text);
    return send(res, status, jsonHeaders, text);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (res.headersSent) return res.destroy();
      send(res, 500, { "Content-Type": JSON_TYPE }, JSON.stringify({ error: { message: `mock failure: ${err.message}` } }));
    });
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => { server.off("error", reject); resolve(); });
  });
  url = `http://127.0.0.1:${server.address().port}`;

  let closing = null;
  const close = () => {
    closing ??= new Promise((resolve) => {
      clearTimeout(lifetime);
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closing;
  };
  const lifetime = setTimeout(close, Math.min(lifetimeMs, 2 ** 31 - 1));
  lifetime.unref();

  return {
    url, pageId: MOCK_PAGE_ID, igAccountId: MOCK_IG_ACCOUNT_ID, appSecret: MOCK_APP_SECRET,
    token: MOCK_TOKEN, inbox, close, deliver,
    log: (runId = "") => [...(runs.get(runId)?.log ?? [])],
    randomInbox, randomMessages,
  };
}

/** What `POST /__mock/webhook` delivers without a `text`. */
const DEFAULT_WEBHOOK_TEXT = "Hallo! Habt ihr heute Abend noch einen Tisch für zwei? 🍰";

/** The request body as text, at most `limit` bytes. */
function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error(`more than ${limit} bytes`));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** The `size`, `style` and `emptyrate` overrides of a random world, from query parameters. */
function randomOverrides(params) {
  const spec = ["size", "style", "emptyrate"].filter((k) => params.has(k)).map((k) => `${k}=${params.get(k)}`).join(";");
  const { size, style, emptyRate } = parseScenario(`random=0;${spec}`).random;
  return { size, style, emptyRate };
}

/**
 * The truth of the `random=SEED` world: `{seed, size, style, emptyRate, conversations: [{id,
 * updated_time, updatedMs, message_count}]}`, newest first; with `limit`, also `pages`: what a
 * client following `next` from the first page is served, one entry per request
 * `{page, start, count, empty, style}`. `overrides` are the scenario's `size`, `style` and
 * `emptyRate` (a fraction) when the scenario sets them.
 * @param {number} seed
 * @param {{limit?: number, size?: number, style?: string, emptyRate?: number}} [options]
 */
export function randomInbox(seed, { limit, ...overrides } = {}) {
  const world = randomWorld(seed, overrides);
  const truth = randomTruth(world);
  if (limit !== undefined) truth.pages = randomPlan(world, limit);
  return truth;
}

/**
 * The messages of a random world's conversation, newest first: `{conversationId, messages: [{id,
 * created_time}]}` (with `limit`, also `pages` as for randomInbox), or null when the world has
 * no such conversation.
 */
export function randomMessages(seed, conversationId, { limit, ...overrides } = {}) {
  const world = randomWorld(seed, overrides);
  const thread = world.byId.get(conversationId);
  if (!thread) return null;
  const truth = {
    conversationId,
    messages: thread.readable.map((m) => ({ id: m.id, created_time: m.fields.created_time })),
  };
  if (limit !== undefined) truth.pages = randomPlan(world, limit, thread);
  return truth;
}

/** The CLI: start, print one JSON line, serve until SIGTERM/SIGINT or the end of the lifetime. */
async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "0" },
      seed: { type: "string", default: "1" },
      conversations: { type: "string", default: "250" },
      "lifetime-s": { type: "string", default: "1800" },
    },
  });
  const number = (name) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer`);
    return n;
  };
  const mock = await startMockGraph({
    port: number("port"), seed: number("seed"), conversations: number("conversations"),
    lifetimeMs: number("lifetime-s") * 1000,
  });
  process.stdout.write(`${JSON.stringify({
    url: mock.url, pageId: mock.pageId, igAccountId: mock.igAccountId, appSecret: mock.appSecret, token: mock.token,
  })}\n`);
  for (const signal of ["SIGTERM", "SIGINT"]) {
    process.once(signal, () => mock.close().then(() => process.exit(0)));
  }
}

/** Whether this module is the program node was started with. */
function isMain() {
  try {
    return realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isMain()) {
  main().catch((err) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  });
}
