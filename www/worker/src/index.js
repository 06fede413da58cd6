// The dashboard's Worker: keeps the Page token (and the app secret) server-side, answers the
// dashboard's JSON API through page-conversations (its `workerd` entry, chosen by wrangler), and
// serves the dashboard's static files (wrangler `[assets]`, directory www/dist).
//
//   GET /api/info                                   { pageId, apiVersion, appSecretProof, demoScenarios }
//   GET /api/conversations?platform=&folder=&limit=&cursor=        one page of conversations
//   GET /api/conversations/:id/messages?limit=&cursor=             one page of a thread's messages
//
// A page is `{ data, paging: { nextCursor, previousCursor }, usage }`, as the package returns it:
// it holds neither the token nor the proof. Pass `paging.nextCursor` back as `cursor`. Every Graph
// call carries `appsecret_proof` when APP_SECRET is set. Failures: see http-errors.js.
//
// Configuration: secrets PAGE_ID, PAGE_ACCESS_TOKEN, APP_SECRET; var GRAPH_BASE_URL (default
// https://graph.facebook.com). Demo only: with the var DEMO_SCENARIOS = "1", a request header
// `X-Mock-Scenario: SPEC` is put into the Graph base URL as the mock Graph's scenario prefix
// (`{GRAPH_BASE_URL}/_/SPEC`), so that the dashboard can show its error panels against the
// mock. Never set it in production.
import { GRAPH_API_VERSION, paginateConversations, paginateMessages } from "page-conversations";

import { CONVERSATION_FIELDS, MESSAGE_FIELDS } from "../../public/fields.js";
import { httpError, httpRefusal } from "./http-errors.js";

const DEFAULT_LIMIT = 25;
const SCENARIO = /^[A-Za-z0-9=;.,_-]{1,200}$/;

/**
 * A conversation id as Graph gives them (GRAPH.md): Messenger's `t_…` (`t_587956915396498`,
 * older `t_mid.…:…`), or Instagram's base64-like ids (`aWdfZAG06MTpJR01lc3NhZA2VUaHJlYWQ6…`, far
 * longer than any numeric id). Anything else names another kind of Graph node (the Page, a person,
 * a post: all digits; `me`; a username) whose `messages` the dashboard has no business reading.
 */
const CONVERSATION_ID = /^(?:t_[A-Za-z0-9_.:=-]+|[A-Za-z0-9_=-]{32,})$/;

export default {
  /** @param {Request} request @param {Record<string, any>} env */
  async fetch(request, env) {
    const url = new URL(request.url);
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

/** The options every Graph call of this request shares, or a refusal when secrets are missing. */
function configure(request, env) {
  const missing = ["PAGE_ID", "PAGE_ACCESS_TOKEN"].filter((name) => !env[name]);
  if (missing.length > 0) {
    return {
      refusal: httpRefusal(500, "ERR_WORKER_CONFIG", `The Worker is misconfigured: set ${missing.join(" and ")} (wrangler secret put …)`),
    };
  }
  let baseUrl = env.GRAPH_BASE_URL || undefined;
  const scenario = request.headers.get("X-Mock-Scenario");
  if (env.DEMO_SCENARIOS === "1" && scenario !== null) {
    if (!SCENARIO.test(scenario)) {
      return { refusal: httpRefusal(400, "ERR_BAD_REQUEST", "X-Mock-Scenario has characters outside [A-Za-z0-9=;.,_-]") };
    }
    baseUrl = `${(baseUrl ?? "https://graph.facebook.com").replace(/\/+$/, "")}/_/${scenario}`;
  }
  const options = {
    accessToken: env.PAGE_ACCESS_TOKEN,
    baseUrl,
    // The browser decides when to try again: a rate limit reaches it at once (429 with
    // Retry-After) instead of holding the request while the package waits it out.
    maxRetries: 0,
    timeoutMs: 20_000,
    signal: request.signal,
  };
  if (env.APP_SECRET) options.appSecret = env.APP_SECRET;
  return { options };
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
