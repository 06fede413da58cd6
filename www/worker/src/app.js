// The dashboard's Worker: keeps the Page token (and the app secret) server-side, answers the
// dashboard's JSON API through page-conversations (its `workerd` entry, chosen by wrangler), serves
// the dashboard's static files (wrangler `[assets]`, directory www/dist), receives the Page's
// webhooks and pushes them to the open dashboards. index.js is the entry (it adds the Durable
// Object classes); this module is importable in Node too (www/worker/test).
//
//   GET /api/info                                   { pageId, apiVersion, appSecretProof, demoScenarios, live }
//   GET /api/conversations?platform=&folder=&limit=&cursor=        one page of conversations
//   GET /api/conversations?platform=&folder=&updatedSince=MS       the conversations updated at or
//       after MS (epoch ms), newest first, up to 4 pages: { data, paging, usage, complete }
//   GET /api/conversations/:id/messages?limit=&cursor=             one page of a thread's messages
//   GET /api/live          (WebSocket) the Page's live events: { type: "events", items: [{ conversation, event }] }
//   GET, POST /webhook     Meta's webhooks (subscribe handshake, signed deliveries)
//
// A page is `{ data, paging: { nextCursor, previousCursor }, usage }`, as the package returns it:
// it holds neither the token nor the proof. Pass `paging.nextCursor` back as `cursor`. Every Graph
// call carries `appsecret_proof` when APP_SECRET is set, and goes through the fleet gate
// (CONVERSATIONS_GATE, a ConversationsGate Durable Object per Page) when it is bound. Failures:
// see http-errors.js.
//
// Configuration: secrets PAGE_ID, PAGE_ACCESS_TOKEN, APP_SECRET, VERIFY_TOKEN; vars GRAPH_BASE_URL
// (default https://graph.facebook.com), INSTAGRAM_ACCOUNT_ID (the Page's Instagram account: its
// webhooks are shown too); bindings CONVERSATIONS_GATE, LIVE_INBOX (Durable Objects). Demo only:
// with the var DEMO_SCENARIOS = "1", a request header `X-Mock-Scenario: SPEC` is put into the Graph
// base URL as the mock Graph's scenario prefix (`{GRAPH_BASE_URL}/_/SPEC`), so that the dashboard
// can show its error panels against the mock. Never set it in production.
import { GRAPH_API_VERSION, handleWebhook, listConversations, paginateConversations, paginateMessages } from "page-conversations";

import { CONVERSATION_FIELDS, MESSAGE_FIELDS } from "../../public/fields.js";
import { httpError, httpRefusal } from "./http-errors.js";
import { LOOKED_UP, eventForDashboard, eventKey, eventsForThisPage, lookupKey } from "./live.js";

const DEFAULT_LIMIT = 25;
/** Pages a catch-up read (`updatedSince`) reads at most; past that the dashboard reloads. */
const CATCH_UP_PAGES = 4;
const SCENARIO = /^[A-Za-z0-9=;.,_-]{1,200}$/;

/**
 * A conversation id as Graph gives them (GRAPH.md): Messenger's `t_…` (`t_587956915396498`,
 * older `t_mid.…:…`), or Instagram's base64-like ids (`aWdfZAG06MTpJR01lc3NhZA2VUaHJlYWQ6…`, far
 * longer than any numeric id). Anything else names another kind of Graph node (the Page, a person,
 * a post: all digits; `me`; a username) whose `messages` the dashboard has no business reading.
 */
const CONVERSATION_ID = /^(?:t_[A-Za-z0-9_.:=-]+|[A-Za-z0-9_=-]{32,})$/;

export default {
  /** @param {Request} request @param {Record<string, any>} env @param {{ waitUntil(p: Promise<unknown>): void } | undefined} ctx */
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === "/webhook") return webhook(request, env, ctx);
    if (url.pathname === "/api/live") return live(request, env);
    if (!url.pathname.startsWith("/api/")) {
      // Static files are served by the assets layer before the Worker runs; this is a miss.
      if (env.ASSETS && request.method === "GET") return env.ASSETS.fetch(request);
      return new Response("Not found", { status: 404 });
    }
    if (request.method !== "GET") {
      return json(httpRefusal(405, "ERR_METHOD", "Only GET is supported"), { Allow: "GET" });
    }
    try {
      return json(await route(url, request, env));
    } catch (error) {
      return json(httpError(error));
    }
  },
};

async function route(url, request, env) {
  const path = url.pathname;
  if (path === "/api/info") {
    return ok({
      pageId: env.PAGE_ID ?? null,
      apiVersion: GRAPH_API_VERSION,
      appSecretProof: Boolean(env.APP_SECRET),
      demoScenarios: env.DEMO_SCENARIOS === "1",
      live: Boolean(env.LIVE_INBOX),
    });
  }
  const config = configure(request, env);
  if (config.refusal) return config.refusal;
  const query = url.searchParams;
  const limit = readLimit(query.get("limit"));
  if (limit.refusal) return limit.refusal;
  const after = query.get("cursor") || undefined;

  if (path === "/api/conversations") {
    const options = {
      ...config.options,
      pageId: env.PAGE_ID,
      fields: CONVERSATION_FIELDS,
      limit: limit.value,
      after,
    };
    for (const name of ["platform", "folder"]) {
      const value = query.get(name);
      if (value) options[name] = value;
    }
    const since = query.get("updatedSince");
    if (since !== null) {
      if (!/^\d{1,15}$/.test(since)) return httpRefusal(400, "ERR_BAD_REQUEST", "updatedSince must be epoch milliseconds (digits)", { option: "updatedSince" });
      if (after) return httpRefusal(400, "ERR_BAD_REQUEST", "updatedSince reads from the newest conversation: not with cursor", { option: "updatedSince" });
      return ok(await updatedSince(paginateConversations({ ...options, maxPages: CATCH_UP_PAGES }), Number(since)));
    }
    return ok(await onePage(paginateConversations(options)));
  }
  const thread = /^\/api\/conversations\/([^/]+)\/messages$/.exec(path);
  if (thread) {
    let conversationId;
    try {
      conversationId = decodeURIComponent(thread[1]);
    } catch {
      return httpRefusal(400, "ERR_BAD_REQUEST", "The conversation id is not valid URL encoding");
    }
    if (!CONVERSATION_ID.test(conversationId)) {
      return httpRefusal(404, "ERR_NOT_FOUND", "No such conversation: a conversation id is t_… (Messenger) or Instagram's long base64-like id");
    }
    const options = { ...config.options, conversationId, fields: MESSAGE_FIELDS, limit: limit.value, after };
    return ok(await onePage(paginateMessages(options)));
  }
  return httpRefusal(404, "ERR_NOT_FOUND", `No such API route: ${path}`);
}

/**
 * One page through the pager rather than `listConversations`: the pager skips Graph's empty
 * pages that still have a next page and never yields a page whose cursor repeats, so every
 * answer of the Worker either holds conversations or is the end.
 */
async function onePage(pager) {
  for await (const page of pager.pages()) return page;
  return { data: [], paging: { nextCursor: null, previousCursor: null }, usage: null };
}

/** Graph's `2026-11-20T09:28:50+0000` as epoch milliseconds (NaN when it is not one). */
function graphTime(text) {
  return typeof text === "string" ? Date.parse(text.replace(/([+-]\d\d)(\d\d)$/, "$1:$2")) : NaN;
}

/**
 * The catch-up read of a dashboard that was disconnected: the conversations updated at or after
 * `since`, newest first (Graph lists them by update time), reading pages until one holds an older
 * conversation. `complete: false` when CATCH_UP_PAGES pages were all newer (the dashboard then
 * reloads from the first page).
 */
async function updatedSince(pager, since) {
  const data = [];
  let usage = null;
  for await (const page of pager.pages()) {
    usage = page.usage ?? usage;
    for (const conversation of page.data) {
      // A conversation without a readable time is kept: better shown twice than missed.
      if (graphTime(conversation?.updated_time) < since) {
        return { data, paging: { nextCursor: null, previousCursor: null }, usage, complete: true };
      }
      data.push(conversation);
    }
    if (!page.paging.nextCursor) return { data, paging: { nextCursor: null, previousCursor: null }, usage, complete: true };
  }
  return { data, paging: { nextCursor: null, previousCursor: null }, usage, complete: false };
}

/** The options every Graph call of this request shares, or a refusal when secrets are missing. */
function configure(request, env) {
  const base = graphOptions(env);
  if (base.refusal) return base;
  let baseUrl = base.options.baseUrl;
  const scenario = request.headers.get("X-Mock-Scenario");
  if (env.DEMO_SCENARIOS === "1" && scenario !== null) {
    if (!SCENARIO.test(scenario)) {
      return { refusal: httpRefusal(400, "ERR_BAD_REQUEST", "X-Mock-Scenario has characters outside [A-Za-z0-9=;.,_-]") };
    }
    baseUrl = `${(baseUrl ?? "https://graph.facebook.com").replace(/\/+$/, "")}/_/${scenario}`;
    // A demo scenario's faults are simulated: a pretend rate limit must not make the Page's gate
    // hold back every other dashboard (and the webhooks' lookups) for minutes.
    delete base.options.gate;
  }
  return {
    options: {
      ...base.options,
      baseUrl,
      // The browser decides when to try again: a rate limit reaches it at once (429 with
      // Retry-After) instead of holding the request while the package waits it out.
      maxRetries: 0,
      timeoutMs: 20_000,
      signal: request.signal,
    },
  };
}

/**
 * What every Graph call of the Worker shares: the token, the proof, the base URL, and the fleet
 * gate (`gate: env.CONVERSATIONS_GATE`): with it, every isolate's calls for the Page are paced,
 * backed off and coalesced by one Durable Object. It is always bound by wrangler.toml; only the
 * Node unit tests run without it (the package refuses `gate` outside Workers).
 */
function graphOptions(env) {
  const missing = ["PAGE_ID", "PAGE_ACCESS_TOKEN"].filter((name) => !env[name]);
  if (missing.length > 0) {
    return {
      refusal: httpRefusal(500, "ERR_WORKER_CONFIG", `The Worker is misconfigured: set ${missing.join(" and ")} (wrangler secret put …)`),
    };
  }
  const options = { accessToken: env.PAGE_ACCESS_TOKEN, baseUrl: env.GRAPH_BASE_URL || undefined };
  if (env.APP_SECRET) options.appSecret = env.APP_SECRET;
  if (env.CONVERSATIONS_GATE) options.gate = env.CONVERSATIONS_GATE;
  return { options };
}

// ---------------------------------------------------------------- live updates

/**
 * Meta's webhooks. `handleWebhook` answers the handshake and checks the signature over the raw
 * bytes; the answer goes back at once, and finding each event's conversation and pushing it to the
 * open dashboards runs after it (`ctx.waitUntil`), so Meta never waits on Graph.
 */
async function webhook(request, env, ctx) {
  const missing = ["APP_SECRET", "VERIFY_TOKEN"].filter((name) => !env[name]);
  if (missing.length > 0) {
    return json(httpRefusal(500, "ERR_WORKER_CONFIG", `Webhooks need ${missing.join(" and ")} (wrangler secret put …)`));
  }
  let handled;
  try {
    handled = await handleWebhook(request, { appSecret: env.APP_SECRET, verifyToken: env.VERIFY_TOKEN });
  } catch (error) {
    return json(httpError(error));
  }
  const { response, events } = handled;
  if (events.length > 0) {
    const work = pushEvents(events, env).catch((error) => {
      console.error(`live: pushing ${events.length} webhook event(s) failed: ${error?.name ?? "Error"} ${error?.code ?? ""}`);
    });
    if (ctx?.waitUntil) ctx.waitUntil(work);
    else await work;
  }
  return response;
}

/** The Page's LiveInbox object (one per Page): its dashboards' sockets and the events seen. */
function liveInbox(env) {
  return env.LIVE_INBOX.get(env.LIVE_INBOX.idFromName(String(env.PAGE_ID)));
}

/**
 * The events of one delivery: those of this Page, not pushed before (LiveInbox.claim: Meta's
 * retries come back with the same keys), each with its conversation (one Graph call per person of
 * the delivery, through the fleet gate, which also coalesces identical lookups of other isolates),
 * pushed in payload order in one message.
 */
export async function pushEvents(events, env) {
  const mine = eventsForThisPage(events, env);
  if (mine.length === 0 || !env.LIVE_INBOX || !env.PAGE_ID) return { pushed: 0, lookups: 0 };
  const inbox = liveInbox(env);
  const keys = mine.map(eventKey);
  const fresh = new Set(await inbox.claim(keys));
  const chosen = [];
  for (const [index, event] of mine.entries()) {
    if (fresh.delete(keys[index])) chosen.push(event);
  }
  if (chosen.length === 0) return { pushed: 0, lookups: 0 };
  const lookups = new Map();
  for (const event of chosen) {
    if (LOOKED_UP.has(event.type) && !lookups.has(lookupKey(event))) lookups.set(lookupKey(event), findConversation(event, env));
  }
  const items = await Promise.all(chosen.map(async (event) => ({
    conversation: LOOKED_UP.has(event.type) ? await lookups.get(lookupKey(event)) : null,
    event: eventForDashboard(event),
  })));
  await inbox.publish(items);
  return { pushed: items.length, lookups: lookups.size };
}

/**
 * The conversation of an event's person: `listConversations({ pageId, userId, platform, fields })`
 * through the gate; null when Graph cannot say (the dashboard then reads what changed itself).
 */
async function findConversation(event, env) {
  const base = graphOptions(env);
  if (base.refusal) return null;
  try {
    const page = await listConversations({
      ...base.options,
      pageId: event.pageId,
      userId: event.userId,
      platform: event.platform,
      fields: CONVERSATION_FIELDS,
      limit: 1,
      maxRetries: 1,
      timeoutMs: 10_000,
    });
    return page.data[0] ?? null;
  } catch (error) {
    console.warn(`live: no conversation for a ${event.platform} ${event.type} event: ${error?.name ?? "Error"} ${error?.code ?? ""}`);
    return null;
  }
}

/**
 * `/api/live`: a dashboard's WebSocket, handed to the Page's LiveInbox. Browsers send any site's
 * cookies with a WebSocket and CORS does not apply to it, so a request from another origin is
 * refused (the deployment's access control, e.g. Cloudflare Access, would otherwise let any site
 * open the inbox's live feed in a signed-in browser).
 */
async function live(request, env) {
  if (request.method !== "GET") return json(httpRefusal(405, "ERR_METHOD", "Only GET is supported"), { Allow: "GET" });
  const origin = request.headers.get("Origin");
  if (origin !== null && origin !== new URL(request.url).origin) {
    return json(httpRefusal(403, "ERR_FORBIDDEN", "Live updates are for the dashboard's own origin"));
  }
  if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
    return json(httpRefusal(426, "ERR_UPGRADE", "/api/live is a WebSocket"), { Upgrade: "websocket" });
  }
  const base = graphOptions(env);
  if (base.refusal) return json(base.refusal);
  if (!env.LIVE_INBOX) return json(httpRefusal(501, "ERR_WORKER_CONFIG", "Live updates need the LIVE_INBOX Durable Object binding"));
  // The object sees a fixed URL, never the browser's: its other entry points are RPC only.
  return liveInbox(env).fetch("https://live-inbox/connect", { headers: { Upgrade: "websocket" } });
}

function readLimit(text) {
  if (text === null || text === "") return { value: DEFAULT_LIMIT };
  if (!/^\d{1,4}$/.test(text)) return { refusal: httpRefusal(400, "ERR_BAD_REQUEST", "limit must be an integer from 1 to 1000", { option: "limit" }) };
  return { value: Number(text) };
}

function ok(body) {
  return { status: 200, headers: {}, body };
}

function json({ status, headers, body }, extra = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
      // JSON is never a document: it may load nothing and be framed by nobody.
      "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
      "Referrer-Policy": "no-referrer",
      ...headers,
      ...extra,
    },
  });
}
