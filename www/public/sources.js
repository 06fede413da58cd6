// Where the dashboard's data comes from. Both sources have the same shape, so the rendering is
// shared:
//
//   info()                                        { pageId }
//   listConversations({ platform, folder, limit, cursor, signal })   one page { data, paging, usage }
//   listConversations({ platform, folder, updatedSince, signal })  (Worker only) the conversations
//       updated since then, newest first: { data, complete } (complete false: reload instead)
//   loadAll({ platform, folder, limit, cursor, signal, onPage })     every page after `cursor`,
//       calling onPage({ page, pageNumber, itemCount }) for each (the package's onPage shape)
//   listMessages({ conversationId, limit, cursor, signal })          one page of a thread
//
// Failures are the package's typed errors (AuthError, RateLimitError with retryAfterMs, …) in
// both modes: the Worker's JSON errors are turned back into the same classes. A cancelled call
// rejects with the AbortSignal's reason.
import {
  AuthError,
  GraphApiError,
  GraphError,
  InvalidOptionsError,
  InvalidRequestError,
  InvalidResponseError,
  NetworkError,
  PagingError,
  PermissionError,
  PolicyBlockError,
  RateLimitError,
  TimeoutError,
  paginateConversations,
  paginateMessages,
} from "page-conversations";

import { CONVERSATION_FIELDS, MESSAGE_FIELDS } from "./fields.js";

const CLASSES = {
  AuthError, GraphApiError, InvalidOptionsError, InvalidRequestError, InvalidResponseError,
  NetworkError, PagingError, PermissionError, PolicyBlockError, RateLimitError, TimeoutError,
};

/** An error the Worker itself answered (misconfiguration, bad route): not one of Graph's. */
export class WorkerError extends GraphError {
  constructor(message, { code, status } = {}) {
    super(message);
    this.name = "WorkerError";
    Object.defineProperty(this, "code", { value: code ?? "ERR_WORKER", enumerable: true, configurable: true, writable: true });
    this.status = status ?? null;
  }
}

/** Rebuilds the typed error the Worker serialized with `toJSON()`. */
export function errorFromWorker(json, response) {
  const retryAfter = Number(response.headers.get("Retry-After"));
  const Class = CLASSES[json?.name];
  if (!Class) {
    return new WorkerError(json?.message ?? `The Worker answered HTTP ${response.status}`, { code: json?.code, status: response.status });
  }
  const { name, code, message, ...fields } = json;
  const error = new Class(message, fields);
  if (error instanceof RateLimitError && error.retryAfterMs === null && retryAfter > 0) {
    // Graph gave no estimate; the Worker's Retry-After is the best we have.
    error.retryAfterMs = retryAfter * 1000;
  }
  return error;
}

/**
 * The default mode: the browser talks only to the Worker (same origin), which holds the token.
 * @param {{ origin?: string, scenario?: string | null }} options `scenario`: demo only, sent as
 *   `X-Mock-Scenario` (the Worker uses it only when DEMO_SCENARIOS = "1")
 */
export function workerSource({ origin = location.origin, scenario = null } = {}) {
  const headers = scenario ? { "X-Mock-Scenario": scenario } : {};

  async function get(path, params, signal) {
    const url = new URL(path, origin);
    for (const [key, value] of Object.entries(params ?? {})) {
      if (value !== undefined && value !== null && value !== "") url.searchParams.set(key, String(value));
    }
    let response;
    try {
      response = await fetch(url, { headers, signal });
    } catch (cause) {
      if (signal?.aborted) throw signal.reason;
      throw new NetworkError(`Could not reach the Worker (${cause?.message ?? cause})`);
    }
    let body;
    try {
      body = await response.json();
    } catch (cause) {
      if (signal?.aborted) throw signal.reason;
      throw new InvalidResponseError(`The Worker's answer is not JSON (HTTP ${response.status})`, { status: response.status });
    }
    if (!response.ok) throw errorFromWorker(body?.error, response);
    return body;
  }

  function listConversations({ platform, folder, limit, cursor, updatedSince, signal }) {
    return get("/api/conversations", { platform, folder, limit, cursor, updatedSince }, signal);
  }

  return {
    kind: "worker",
    info: () => get("/api/info"),
    listConversations,
    listMessages: ({ conversationId, limit, cursor, signal }) =>
      get(`/api/conversations/${encodeURIComponent(conversationId)}/messages`, { limit, cursor }, signal),
    /** Cursor by cursor through the Worker's API, counting pages as the package's onPage does. */
    async loadAll({ cursor, onPage, signal, ...filters }) {
      const seen = new Set(cursor ? [cursor] : []);
      let pageNumber = 0;
      let itemCount = 0;
      for (;;) {
        const page = await listConversations({ ...filters, cursor, signal });
        if (page.data.length > 0) {
          pageNumber += 1;
          itemCount += page.data.length;
          onPage({ page, pageNumber, itemCount });
        }
        cursor = page.paging.nextCursor;
        if (!cursor) return;
        if (seen.has(cursor)) throw new PagingError("Paging made no progress: the Worker returned the same cursor twice");
        seen.add(cursor);
      }
    },
  };
}

/**
 * Direct mode: the page calls Graph itself with the package, with a token typed in by the user
 * and kept only in this object (never stored).
 * @param {{ baseUrl: string, pageId: string, accessToken: string }} connection
 */
export function directSource({ baseUrl, pageId, accessToken }) {
  const common = { baseUrl: baseUrl || undefined, accessToken };
  const conversationOptions = ({ platform, folder, limit, cursor, signal }) => ({
    ...common,
    pageId,
    fields: CONVERSATION_FIELDS,
    platform: platform || undefined,
    folder: folder || undefined,
    limit,
    after: cursor || undefined,
    signal,
  });

  // One page through the pager, as the Worker does: Graph's empty pages that still have a next
  // page are skipped, and a repeated cursor throws PagingError instead of looping.
  async function onePage(pager) {
    for await (const page of pager.pages()) return page;
    return { data: [], paging: { nextCursor: null, previousCursor: null }, usage: null };
  }

  return {
    kind: "direct",
    info: async () => ({ pageId }),
    listConversations: (options) => onePage(paginateConversations({ ...conversationOptions(options), maxPages: 1 })),
    listMessages: ({ conversationId, limit, cursor, signal }) =>
      onePage(paginateMessages({ ...common, conversationId, fields: MESSAGE_FIELDS, limit, after: cursor || undefined, signal, maxPages: 1 })),
    /** The package's pager, paced at Graph's 2 calls per second, with its onPage for progress. */
    async loadAll({ onPage, ...options }) {
      const pager = paginateConversations({ ...conversationOptions(options), onPage });
      for await (const page of pager.pages()) void page;
    },
  };
}
