// The Worker's error → HTTP mapping (src/http-errors.js), with the package's real error classes.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  AuthError, GraphApiError, InvalidOptionsError, InvalidRequestError, InvalidResponseError,
  NetworkError, PagingError, PermissionError, PolicyBlockError, RateLimitError, TimeoutError,
} from "page-conversations";

import { CLIENT_OPTIONS, DEFAULT_RETRY_AFTER_S, httpError, httpRefusal } from "../src/http-errors.js";

const TOKEN = "EAASecretTok3nNeverInAnAnswer";
const graph = (extra = {}) => ({ status: 400, graphCode: 190, graphType: "OAuthException", fbtraceId: "Atrace", ...extra });

describe("httpError", () => {
  const cases = [
    ["AuthError", new AuthError("expired", graph({ graphSubcode: 463 })), 401],
    ["PermissionError", new PermissionError("(#200) Requires pages_messaging", graph({ graphCode: 200 })), 403],
    ["PolicyBlockError", new PolicyBlockError("blocked", graph({ graphCode: 368 })), 403],
    ["InvalidRequestError, bad cursor (100/2642)", new InvalidRequestError("(#2642) Invalid cursors values", graph({ graphCode: 100, graphSubcode: 2642 })), 400],
    ["InvalidRequestError, unknown object (100/33)", new InvalidRequestError("Unsupported get request", graph({ graphCode: 100, graphSubcode: 33 })), 404],
    ["InvalidRequestError, bad appsecret_proof (100)", new InvalidRequestError("Invalid appsecret_proof", graph({ graphCode: 100 })), 502],
    ["InvalidRequestError, 104", new InvalidRequestError("An access token is required", graph({ graphCode: 104 })), 502],
    ["GraphApiError (transient code 2)", new GraphApiError("unexpected", graph({ status: 500, graphCode: 2, isTransient: true })), 502],
    ["NetworkError", new NetworkError("fetch failed"), 502],
    ["InvalidResponseError", new InvalidResponseError("HTML", { status: 502 }), 502],
    ["PagingError", new PagingError("no progress"), 502],
    ["TimeoutError", new TimeoutError("slow", { timeoutMs: 20000 }), 504],
    ["InvalidOptionsError on platform (the browser's)", new InvalidOptionsError("platform must be …", { option: "platform" }), 400],
    ["InvalidOptionsError on after (the browser's cursor)", new InvalidOptionsError("bad cursor", { option: "after" }), 400],
    ["InvalidOptionsError on conversationId", new InvalidOptionsError("bad id", { option: "conversationId" }), 400],
  ];
  for (const [name, error, status] of cases) {
    test(`${name} → ${status}`, () => {
      const answer = httpError(error);
      assert.equal(answer.status, status);
      assert.deepEqual(answer.body, { error: error.toJSON() });
      assert.deepEqual(answer.headers, {});
      assert.equal(JSON.parse(JSON.stringify(answer.body)).error.name, error.name);
    });
  }

  test("RateLimitError → 429 with Retry-After from retryAfterMs, rounded up", () => {
    const answer = httpError(new RateLimitError("(#80006) too many", graph({ graphCode: 80006, retryAfterMs: 90_500 })));
    assert.equal(answer.status, 429);
    assert.deepEqual(answer.headers, { "Retry-After": "91" });
    assert.equal(answer.body.error.retryAfterMs, 90_500);
    assert.equal(answer.body.error.code, "ERR_GRAPH_RATE_LIMIT");
  });

  test("RateLimitError without an estimate → 429, Retry-After the default, retryAfterMs stays null", () => {
    const answer = httpError(new RateLimitError("(#613) rate", graph({ graphCode: 613 })));
    assert.equal(answer.status, 429);
    assert.deepEqual(answer.headers, { "Retry-After": String(DEFAULT_RETRY_AFTER_S) });
    assert.equal(answer.body.error.retryAfterMs, null);
  });

  test("RateLimitError with retryAfterMs 0 → Retry-After: 0", () => {
    assert.deepEqual(httpError(new RateLimitError("rate", graph({ graphCode: 4, retryAfterMs: 0 }))).headers, { "Retry-After": "0" });
  });

  test("InvalidOptionsError on the Worker's own configuration → 500 ERR_WORKER_CONFIG", () => {
    for (const option of ["pageId", "accessToken", "appSecret", "baseUrl", null]) {
      const answer = httpError(new InvalidOptionsError(`${option} refused`, { option }));
      assert.equal(answer.status, 500, String(option));
      assert.equal(answer.body.error.code, "ERR_WORKER_CONFIG");
      assert.match(answer.body.error.message, /misconfigured/);
    }
    assert.ok(!CLIENT_OPTIONS.has("pageId") && !CLIENT_OPTIONS.has("accessToken"));
  });

  test("anything else → 500 without its details", () => {
    for (const thrown of [new TypeError(`boom ${TOKEN}`), `a string ${TOKEN}`, null, { code: "ERR_GRAPH_AUTH", message: TOKEN }]) {
      const answer = httpError(thrown);
      assert.equal(answer.status, 500);
      assert.equal(answer.body.error.code, "ERR_WORKER_INTERNAL");
      assert.ok(!JSON.stringify(answer).includes(TOKEN));
    }
  });

  test("httpRefusal builds the Worker's own refusals", () => {
    assert.deepEqual(httpRefusal(405, "ERR_METHOD", "Only GET"), {
      status: 405, headers: {}, body: { error: { name: "RequestError", code: "ERR_METHOD", message: "Only GET" } },
    });
  });
});
