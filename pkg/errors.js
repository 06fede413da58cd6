// The error classes of page-conversations.
//
// Plain ESM with no imports: the wasm glue imports `createError` from this module to build the
// errors it throws, and every package entry re-exports the classes, so one module instance (and
// so one set of classes) serves both and `instanceof` works.
//
// `name` and `code` are assigned as strings (never derived from `constructor.name`), so they
// survive minification.

/**
 * Reads the `details` argument: anything that is not an object counts as `{}`.
 * @param {unknown} details
 * @returns {Record<string, any>}
 */
function read(details) {
  return details !== null && typeof details === "object" ? details : {};
}

/**
 * Copies the given fields from `details` onto `target` as own enumerable properties; a field
 * that is absent or `undefined` in `details` takes its default.
 * @param {object} target
 * @param {Record<string, any>} details
 * @param {Record<string, unknown>} defaults
 */
function copy(target, details, defaults) {
  for (const key of Object.keys(defaults)) {
    const value = details[key];
    target[key] = value === undefined ? defaults[key] : value;
  }
}

/**
 * Gives a class its `name` (and `code`) as non-enumerable prototype properties, like
 * `Error.prototype.name`. Being on the prototype, `name` is already right while `Error` builds
 * the stack trace, so the stack starts with the class name.
 * @param {Function} cls
 * @param {string} name
 * @param {string} [code]
 */
function brand(cls, name, code) {
  const props = { name: { value: name, writable: true, configurable: true } };
  if (code !== undefined) props.code = { value: code, writable: true, configurable: true };
  Object.defineProperties(cls.prototype, props);
}

/**
 * Base class of every error the package throws (aborts through `signal` excepted: they reject
 * with `signal.reason` unchanged). Never thrown itself; catch it to catch them all.
 *
 * Each subclass has a stable string `code` (the base class has none) and a `name` equal to its
 * class name. `message`, `stack`, `toJSON()` and every property are free of the access token, the
 * app secret and any URL carrying them.
 */
export class GraphError extends Error {
  /**
   * @param {string} [message] what went wrong.
   * @param {{ cause?: unknown }} [details] `cause`: the underlying error, if any (becomes `error.cause`).
   */
  constructor(message, details = {}) {
    const d = read(details);
    const hasCause = d.cause !== undefined;
    super(message === undefined ? "" : String(message), hasCause ? { cause: d.cause } : undefined);
    // Engines without the `cause` option of `Error` still get a `cause`, as `Error` would set it.
    if (hasCause && !Object.prototype.hasOwnProperty.call(this, "cause")) {
      Object.defineProperty(this, "cause", { value: d.cause, writable: true, configurable: true });
    }
    // The stable code, also as an own enumerable property so that loggers (`console.log`,
    // `util.inspect`) show it next to the other fields.
    if (this.code !== undefined) this.code = this.code;
  }

  /**
   * A plain, JSON-safe copy: `{ name, code, message, ...fields }`. No `stack`, no `cause`.
   * @returns {{ name: string, code: string | undefined, message: string, [field: string]: unknown }}
   */
  toJSON() {
    const json = { name: this.name, code: this.code, message: this.message };
    for (const key of Object.keys(this)) {
      if (!(key in json)) json[key] = this[key];
    }
    return json;
  }
}
brand(GraphError, "GraphError");

/**
 * Graph answered with an `{"error": …}` envelope (at any HTTP status, 200 included) that none of
 * the more specific subclasses covers. Also the base of those subclasses.
 */
export class GraphApiError extends GraphError {
  /**
   * @param {string} [message] includes Graph's own message.
   * @param {{ cause?: unknown, status?: number, graphCode?: number | null, graphSubcode?: number | null,
   *   graphType?: string | null, fbtraceId?: string | null, userTitle?: string | null,
   *   userMessage?: string | null, isTransient?: boolean, usage?: object | null }} [details]
   */
  constructor(message, details = {}) {
    super(message, details);
    copy(this, read(details), {
      /** HTTP status of Graph's answer (200 included). @type {number | null} */
      status: null,
      /** Graph's `error.code`, e.g. 190. @type {number | null} */
      graphCode: null,
      /** Graph's `error.error_subcode`, e.g. 463. @type {number | null} */
      graphSubcode: null,
      /** Graph's `error.type`, e.g. "OAuthException" (not meaningful for classification). @type {string | null} */
      graphType: null,
      /** Graph's `error.fbtrace_id`, for Meta support. @type {string | null} */
      fbtraceId: null,
      /** Graph's `error.error_user_title`, meant for end users. @type {string | null} */
      userTitle: null,
      /** Graph's `error.error_user_msg`, meant for end users. @type {string | null} */
      userMessage: null,
      /** Graph's own `error.is_transient` flag; false when absent. @type {boolean} */
      isTransient: false,
      /** Rate-limit usage read from the answer's headers, when readable. @type {object | null} */
      usage: null,
    });
  }
}
brand(GraphApiError, "GraphApiError", "ERR_GRAPH_API");

/** The access token is invalid, expired or revoked: Graph codes 102, 190 (any subcode), and 2500
 * when its message is about the access token. Never retried. */
export class AuthError extends GraphApiError {}
brand(AuthError, "AuthError", "ERR_GRAPH_AUTH");

/** A permission or role is missing: Graph codes 3, 10, 200-299, 230. Never retried. */
export class PermissionError extends GraphApiError {}
brand(PermissionError, "PermissionError", "ERR_GRAPH_PERMISSION");

/** A rate limit was hit: Graph codes 4, 17, 32, 341, 613, 80000-80014. Retried (see `retryAfterMs`). */
export class RateLimitError extends GraphApiError {
  /**
   * @param {string} [message]
   * @param {ConstructorParameters<typeof GraphApiError>[1] & { retryAfterMs?: number | null }} [details]
   */
  constructor(message, details = {}) {
    super(message, details);
    copy(this, read(details), {
      /** How long to wait, in milliseconds, from `estimated_time_to_regain_access` in a usage
       * header (the largest if several give one); null when none does. @type {number | null} */
      retryAfterMs: null,
    });
  }
}
brand(RateLimitError, "RateLimitError", "ERR_GRAPH_RATE_LIMIT");

/** Graph refused the request itself: codes 100 (bad parameter, bad cursor), 104 (bad
 * `appsecret_proof`), 2500 (bad `fields`). Never retried. */
export class InvalidRequestError extends GraphApiError {}
brand(InvalidRequestError, "InvalidRequestError", "ERR_GRAPH_INVALID_REQUEST");

/** Blocked for policy reasons: Graph code 368. Never retried. */
export class PolicyBlockError extends GraphApiError {}
brand(PolicyBlockError, "PolicyBlockError", "ERR_GRAPH_POLICY_BLOCK");

/** `fetch` itself failed: offline, connection refused, DNS, CORS. Retried. `message` names the
 * method, the URL tried (without its query, where the token may be) and the runtime's reason
 * (`ECONNREFUSED`, a DNS failure); `cause` is the runtime's own error, or a redacted copy of it
 * when it holds a secret (some runtimes put the request URL, and so a query token, in it). */
export class NetworkError extends GraphError {}
brand(NetworkError, "NetworkError", "ERR_NETWORK");

/** An attempt ran past `timeoutMs`. Retried. */
export class TimeoutError extends GraphError {
  /**
   * @param {string} [message]
   * @param {{ cause?: unknown, timeoutMs?: number | null }} [details]
   */
  constructor(message, details = {}) {
    super(message, details);
    copy(this, read(details), {
      /** The per-attempt limit that was exceeded, in milliseconds. @type {number | null} */
      timeoutMs: null,
    });
  }
}
brand(TimeoutError, "TimeoutError", "ERR_TIMEOUT");

/** The answer was not what Graph sends: not JSON, truncated, HTML (from a proxy), or not the
 * expected shape. Not retried, except for HTTP 5xx answers. */
export class InvalidResponseError extends GraphError {
  /**
   * @param {string} [message]
   * @param {{ cause?: unknown, status?: number | null }} [details]
   */
  constructor(message, details = {}) {
    super(message, details);
    copy(this, read(details), {
      /** HTTP status of the answer. @type {number | null} */
      status: null,
    });
  }
}
brand(InvalidResponseError, "InvalidResponseError", "ERR_INVALID_RESPONSE");

/** The options were refused, before any request was sent. */
export class InvalidOptionsError extends GraphError {
  /**
   * @param {string} [message]
   * @param {{ cause?: unknown, option?: string | null }} [details]
   */
  constructor(message, details = {}) {
    super(message, details);
    copy(this, read(details), {
      /** The name of the offending option, e.g. "pageId". @type {string | null} */
      option: null,
    });
  }
}
brand(InvalidOptionsError, "InvalidOptionsError", "ERR_INVALID_OPTIONS");

/** Paging made no progress: a cursor repeated, or too many empty pages came in a row. */
export class PagingError extends GraphError {}
brand(PagingError, "PagingError", "ERR_PAGING");

/** `parseWebhookEvents` was given something that is not a Page or Instagram webhook payload. The
 * `message` says what is wrong and where (positions only, never the payload's content). */
export class WebhookError extends GraphError {}
brand(WebhookError, "WebhookError", "ERR_WEBHOOK");

const classes = {
  GraphError, GraphApiError, AuthError, PermissionError, RateLimitError, InvalidRequestError,
  PolicyBlockError, NetworkError, TimeoutError, InvalidResponseError, InvalidOptionsError,
  PagingError, WebhookError,
};

/**
 * Builds an error of the class named `kind` (e.g. "AuthError"); an unknown kind gives a
 * `GraphError`. Called from Rust (imported by wasm-bindgen).
 * @param {string} kind
 * @param {string} message
 * @param {object} [details]
 * @returns {GraphError}
 */
export function createError(kind, message, details) {
  const Class = Object.prototype.hasOwnProperty.call(classes, kind) ? classes[kind] : GraphError;
  return new Class(message, details);
}
