// How the Worker answers a failure: a small pure function from an error (a typed error of
// page-conversations, or anything else) to an HTTP status, headers and a JSON body.
//
//   AuthError                        401  the Worker's token was refused: a new secret is needed
//   PermissionError, PolicyBlockError 403
//   RateLimitError                   429  with Retry-After (seconds), from retryAfterMs
//   InvalidOptionsError on an option the browser chose (platform, folder, limit, cursor,
//     conversation id)               400  bad input; on any other option (pageId, token…) 500
//   InvalidRequestError              400 for a bad cursor (Graph 100/2642), 404 for an unknown
//                                     conversation (100/33), else 502
//   TimeoutError                     504
//   other Graph errors, NetworkError, InvalidResponseError, PagingError   502
//   anything else                    500, without details (a bug: nothing of it is shown)
//
// The body is `{ "error": error.toJSON() }`: the package guarantees that it holds neither the
// token, nor the app secret, nor a URL carrying them.
import { GraphError } from "page-conversations";

/** Options that come from the browser's request: refusing one of them is the browser's fault. */
export const CLIENT_OPTIONS = new Set(["platform", "folder", "limit", "after", "before", "conversationId", "userId"]);

/** Retry-After when Graph gave no estimate of when calls are allowed again, in seconds. */
export const DEFAULT_RETRY_AFTER_S = 60;

/** Graph's subcodes of error 100 that say something about the browser's request. */
const INVALID_CURSOR = 2642;
const UNKNOWN_OBJECT = 33;

/**
 * @param {unknown} error what a call of page-conversations threw
 * @returns {{ status: number, headers: Record<string, string>, body: { error: Record<string, unknown> } }}
 */
export function httpError(error) {
  if (!(error instanceof GraphError)) {
    return {
      status: 500,
      headers: {},
      body: { error: { name: "Error", code: "ERR_WORKER_INTERNAL", message: "Internal error in the Worker" } },
    };
  }
  const json = error.toJSON();
  const answer = (status, headers = {}) => ({ status, headers, body: { error: json } });
  switch (error.code) {
    case "ERR_GRAPH_AUTH":
      return answer(401);
    case "ERR_GRAPH_PERMISSION":
    case "ERR_GRAPH_POLICY_BLOCK":
      return answer(403);
    case "ERR_GRAPH_RATE_LIMIT": {
      const ms = typeof error.retryAfterMs === "number" && error.retryAfterMs >= 0 ? error.retryAfterMs : null;
      const seconds = ms === null ? DEFAULT_RETRY_AFTER_S : Math.ceil(ms / 1000);
      return answer(429, { "Retry-After": String(seconds) });
    }
    case "ERR_INVALID_OPTIONS":
      if (CLIENT_OPTIONS.has(error.option)) return answer(400);
      return {
        status: 500,
        headers: {},
        body: {
          error: {
            ...json,
            code: "ERR_WORKER_CONFIG",
            message: `The Worker is misconfigured (${error.option ?? "an option"} was refused): ${error.message}`,
          },
        },
      };
    case "ERR_GRAPH_INVALID_REQUEST":
      if (error.graphCode === 100 && error.graphSubcode === INVALID_CURSOR) return answer(400);
      if (error.graphCode === 100 && error.graphSubcode === UNKNOWN_OBJECT) return answer(404);
      return answer(502);
    case "ERR_TIMEOUT":
      return answer(504);
    default:
      // GraphApiError, NetworkError, InvalidResponseError, PagingError.
      return answer(502);
  }
}

/** A JSON answer for a request the Worker refuses itself (bad query, unknown route, method). */
export function httpRefusal(status, code, message, extra = {}) {
  return { status, headers: {}, body: { error: { name: "RequestError", code, message, ...extra } } };
}
