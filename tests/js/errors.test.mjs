// Every error class of the package, driven through the mock Graph's scenarios: class chain,
// name, code, fields and toJSON(); retries counted in the mock's log; aborts rejecting with
// exactly `signal.reason`; and no token, app secret or proof anywhere in errors or pages.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { describe, test } from "node:test";

import {
  AuthError, GraphApiError, GraphError, InvalidOptionsError, InvalidRequestError,
  InvalidResponseError, NetworkError, PagingError, PermissionError, PolicyBlockError,
  RateLimitError, TimeoutError, listConversations, listMessages,
} from "page-conversations";

import { scenarioError } from "../graph-mock/errors.mjs";
import {
  MOCK_APP_SECRET, MOCK_PAGE_ID, TOKEN, assertNoSecrets, baseOptions, closedPort, expectedIds,
  hmac, rejection, requestsOf, runId, scenarioUrl, sleep, useMock,
} from "./helpers.mjs";

const ctx = useMock();
const PLAIN_PROOF = hmac(MOCK_APP_SECRET, TOKEN);
const API_FIELDS = ["status", "graphCode", "graphSubcode", "graphType", "fbtraceId", "userTitle", "userMessage", "isTransient", "usage"];

/** Runs one call against a scenario (token in the query, proof on) and returns its error and log. */
async function failing(spec, extra = {}) {
  const id = runId("err");
  const options = baseOptions(ctx.mock, id, spec, { tokenIn: "query", appSecret: MOCK_APP_SECRET, maxRetries: 0, ...extra });
  const started = Date.now();
  const err = await rejection(listConversations(options));
  const elapsed = Date.now() - started;
  const log = await requestsOf(ctx.mock, id);
  return { err, log, elapsed, secrets: [TOKEN, MOCK_APP_SECRET, PLAIN_PROOF, ...log.map((e) => e.proof)] };
}

/** Asserts the class chain, `name` and `code` of an error. */
function assertClass(err, Class, code) {
  assert.ok(err instanceof Class, `${err?.name} is not a ${Class.name}`);
  assert.ok(err instanceof GraphError && err instanceof Error);
  assert.equal(err instanceof GraphApiError, [AuthError, PermissionError, RateLimitError, InvalidRequestError, PolicyBlockError, GraphApiError].includes(Class));
  assert.equal(Object.getPrototypeOf(err), Class.prototype, "the most specific class");
  assert.equal(err.name, Class.name);
  assert.equal(err.code, code);
  assert.ok(err.stack.startsWith(`${Class.name}: `), err.stack.slice(0, 80));
}

/** Asserts that toJSON() and JSON.stringify give name, code, message and the given fields. */
function assertJson(err, fields) {
  const json = err.toJSON();
  assert.deepEqual(JSON.parse(JSON.stringify(err)), JSON.parse(JSON.stringify(json)));
  assert.deepEqual([json.name, json.code, json.message], [err.name, err.code, err.message]);
  for (const field of fields) assert.deepEqual(json[field], err[field], field);
}

// [spec, class, code, expected fields (besides the defaults below)]
const API_CASES = [
  ["error=9999", GraphApiError, "ERR_GRAPH_API", {}],
  ["error=80015", GraphApiError, "ERR_GRAPH_API", {}],
  ["error=300;status=403", GraphApiError, "ERR_GRAPH_API", { status: 403 }],
  ["error=1", GraphApiError, "ERR_GRAPH_API", { status: 500, isTransient: true }],
  ["error=102", AuthError, "ERR_GRAPH_AUTH", {}],
  ["error=190", AuthError, "ERR_GRAPH_AUTH", {}],
  ["error=190.463", AuthError, "ERR_GRAPH_AUTH", { graphSubcode: 463, userTitle: "Your session has expired", userMessage: "Please log in again to keep using this Page's inbox." }],
  ["error=190.492", AuthError, "ERR_GRAPH_AUTH", { graphSubcode: 492 }],
  ["error=2500;tokenmsg=1", AuthError, "ERR_GRAPH_AUTH", {}],
  ["error=190;env200=1", AuthError, "ERR_GRAPH_AUTH", { status: 200 }],
  ["error=3", PermissionError, "ERR_GRAPH_PERMISSION", {}],
  ["error=10", PermissionError, "ERR_GRAPH_PERMISSION", {}],
  ["error=200", PermissionError, "ERR_GRAPH_PERMISSION", {}],
  ["error=230", PermissionError, "ERR_GRAPH_PERMISSION", {}],
  ["error=251", PermissionError, "ERR_GRAPH_PERMISSION", {}],
  ["error=299", PermissionError, "ERR_GRAPH_PERMISSION", {}],
  ["error=4", RateLimitError, "ERR_GRAPH_RATE_LIMIT", { retryAfterMs: null }],
  ["error=17", RateLimitError, "ERR_GRAPH_RATE_LIMIT", { retryAfterMs: null }],
  ["error=32", RateLimitError, "ERR_GRAPH_RATE_LIMIT", { retryAfterMs: null }],
  ["error=341", RateLimitError, "ERR_GRAPH_RATE_LIMIT", { retryAfterMs: null }],
  ["error=613", RateLimitError, "ERR_GRAPH_RATE_LIMIT", { retryAfterMs: null }],
  ["error=80000", RateLimitError, "ERR_GRAPH_RATE_LIMIT", { retryAfterMs: null }],
  ["error=80006;env200=1", RateLimitError, "ERR_GRAPH_RATE_LIMIT", { status: 200, retryAfterMs: null }],
  ["error=80014", RateLimitError, "ERR_GRAPH_RATE_LIMIT", { retryAfterMs: null }],
  ["error=100", InvalidRequestError, "ERR_GRAPH_INVALID_REQUEST", {}],
  ["error=100.2642", InvalidRequestError, "ERR_GRAPH_INVALID_REQUEST", { graphSubcode: 2642 }],
  // Subcodes beyond 16 bits (GRAPH.md: 1609005, 2446079).
  ["error=100.2446079", InvalidRequestError, "ERR_GRAPH_INVALID_REQUEST", { graphSubcode: 2446079 }],
  ["error=190.1609005", AuthError, "ERR_GRAPH_AUTH", { graphSubcode: 1609005 }],
  ["error=104", InvalidRequestError, "ERR_GRAPH_INVALID_REQUEST", {}],
  ["error=2500", InvalidRequestError, "ERR_GRAPH_INVALID_REQUEST", {}],
  ["error=368", PolicyBlockError, "ERR_GRAPH_POLICY_BLOCK", { userTitle: "You're Temporarily Blocked", userMessage: "It looks like you were misusing this feature by going too fast. You've been temporarily blocked from using it." }],
];

describe("Graph error envelopes", { concurrency: true }, () => {
  for (const [spec, Class, code, fields] of API_CASES) {
    test(`${spec} → ${Class.name}`, async () => {
      const { err, log, secrets } = await failing(spec);
      const [, graphCode, subcode] = /error=(\d+)(?:\.(\d+))?/.exec(spec);
      const graph = scenarioError({ code: Number(graphCode), subcode: subcode && Number(subcode), tokenMessage: spec.includes("tokenmsg") }, TOKEN).error;
      assertClass(err, Class, code);
      const expected = {
        status: 400, graphCode: Number(graphCode), graphSubcode: null, graphType: "OAuthException",
        userTitle: null, userMessage: null, isTransient: false, usage: null, ...fields,
      };
      for (const [field, value] of Object.entries(expected)) assert.deepEqual(err[field], value, field);
      assert.match(err.fbtraceId, /^[A-Za-z0-9_-]{11}$/);
      assert.ok(err.message.includes(graph.message), err.message);
      assert.equal("retryAfterMs" in err, Class === RateLimitError);
      assertJson(err, [...API_FIELDS, ...(Class === RateLimitError ? ["retryAfterMs"] : [])]);
      assert.equal(log.length, 1);
      assertNoSecrets(err, secrets, spec);
    });
  }

  test("a rate limit carries the usage headers of the answer", async () => {
    const { err } = await failing("error=80006;usage=app,buc;eta=2");
    assertClass(err, RateLimitError, "ERR_GRAPH_RATE_LIMIT");
    assert.deepEqual(err.usage.app, { callCount: 28, totalTime: 25, totalCputime: 12.5 });
    assert.equal(err.usage.businessUseCase[MOCK_PAGE_ID][0].estimatedTimeToRegainAccessMinutes, 2);
    assert.equal(err.retryAfterMs, 120000);
  });
});

describe("text crossing from the wasm module", () => {
  test("Graph messages arrive exactly: non-ASCII, long, and with NUL and escapes", async () => {
    const messages = [
      "Paramètre invalide — ünïcødé ✓ 😀 日本語",
      `(#100) ${"a very long message ".repeat(80)}`,
      "tab\there, NUL \u0000 and a quote \" end",
      `${"x".repeat(1024)}é`,
    ];
    const server = createServer((request, response) => {
      const message = messages[Number(new URL(request.url, "http://x").searchParams.get("limit")) - 1];
      response.writeHead(400, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: { message, type: "OAuthException", code: 100, fbtrace_id: "Añ" } }));
    });
    await new Promise((resolve) => { server.listen(0, "127.0.0.1", resolve); });
    try {
      const baseUrl = `http://127.0.0.1:${server.address().port}`;
      for (const [index, message] of messages.entries()) {
        const err = await rejection(listConversations({ pageId: MOCK_PAGE_ID, accessToken: TOKEN, baseUrl, limit: index + 1, maxRetries: 0 }));
        assertClass(err, InvalidRequestError, "ERR_GRAPH_INVALID_REQUEST");
        assert.ok(err.message.includes(message), `message ${index} arrives unchanged`);
        assert.equal(err.fbtraceId, "Añ");
      }
    } finally {
      await new Promise((resolve) => { server.close(resolve); });
    }
  });
});

describe("errors without a Graph envelope", { concurrency: true }, () => {
  test("connection refused → NetworkError", async () => {
    const port = await closedPort();
    const started = Date.now();
    const err = await rejection(listConversations({
      pageId: MOCK_PAGE_ID, accessToken: TOKEN, baseUrl: `http://127.0.0.1:${port}`, tokenIn: "query", appSecret: MOCK_APP_SECRET, maxRetries: 0,
    }));
    assertClass(err, NetworkError, "ERR_NETWORK");
    assert.ok(Date.now() - started < 250, "no retry with maxRetries: 0");
    assertJson(err, []);
    assertNoSecrets(err, [TOKEN, MOCK_APP_SECRET, PLAIN_PROOF], "NetworkError");
  });

  test("connection refused is retried (a backoff wait happens)", async () => {
    const port = await closedPort();
    const started = Date.now();
    const err = await rejection(listConversations({ pageId: MOCK_PAGE_ID, accessToken: TOKEN, baseUrl: `http://127.0.0.1:${port}`, maxRetries: 1 }));
    assertClass(err, NetworkError, "ERR_NETWORK");
    assert.ok(Date.now() - started >= 240, `retried after a wait (${Date.now() - started} ms)`);
  });

  test("connection reset mid-body → NetworkError, retried", async () => {
    const { err, log, secrets } = await failing("reset=1", { maxRetries: 1 });
    assertClass(err, NetworkError, "ERR_NETWORK");
    assert.equal(log.length, 2);
    assertNoSecrets(err, secrets, "reset");
  });

  test("slow answer → TimeoutError with timeoutMs", async () => {
    const { err, elapsed, secrets } = await failing("slow=3000", { timeoutMs: 120 });
    assertClass(err, TimeoutError, "ERR_TIMEOUT");
    assert.equal(err.timeoutMs, 120);
    assert.ok(elapsed >= 110 && elapsed < 1500, `${elapsed} ms`);
    assertJson(err, ["timeoutMs"]);
    assertNoSecrets(err, secrets, "TimeoutError");
  });

  for (const [spec, status, attempts] of [["html=502", 502, 2], ["html=200", 200, 1], ["html=404", 404, 1], ["truncate=1", 200, 1]]) {
    test(`${spec} → InvalidResponseError (status ${status}, ${attempts} attempt(s) with maxRetries 1)`, async () => {
      const { err, log, secrets } = await failing(spec, { maxRetries: 1 });
      assertClass(err, InvalidResponseError, "ERR_INVALID_RESPONSE");
      assert.equal(err.status, status);
      assert.equal(log.length, attempts);
      assertJson(err, ["status"]);
      assertNoSecrets(err, secrets, spec);
    });
  }

  for (const [kind, detail] of [["data", "no \"data\" array"], ["paging", "\"paging\" is not an object"], ["scalar", "not a JSON object"], ["link", "without a cursor"]]) {
    test(`shape=${kind}: JSON that is not a listing → InvalidResponseError (status 200), not retried`, async () => {
      const { err, log, secrets } = await failing(`shape=${kind}`, { maxRetries: 1 });
      assertClass(err, InvalidResponseError, "ERR_INVALID_RESPONSE");
      assert.equal(err.status, 200);
      assert.ok(err.message.includes(detail), err.message);
      assert.equal(log.length, 1);
      assertNoSecrets(err, secrets, kind);
    });
  }

  test("bad options → InvalidOptionsError with option", async () => {
    const err = await rejection(listConversations({ pageId: MOCK_PAGE_ID, accessToken: TOKEN, limit: 0 }));
    assertClass(err, InvalidOptionsError, "ERR_INVALID_OPTIONS");
    assert.equal(err.option, "limit");
    assertJson(err, ["option"]);
  });

  test("PagingError is exported as a GraphError with its code", () => {
    const err = new PagingError("no progress");
    assertClass(err, PagingError, "ERR_PAGING");
    assert.equal(err.message, "no progress");
  });
});

describe("retries", { concurrency: true }, () => {
  const attempts = async (spec, extra) => (await failing(spec, { maxRetries: undefined, ...extra })).log.length;

  test("transient Graph error: default maxRetries 2 → 3 attempts", async () => {
    const { err, log } = await failing("error=1", { maxRetries: undefined });
    assert.ok(err instanceof GraphApiError && err.isTransient);
    assert.equal(log.length, 3);
  });

  test("is_transient on an unclassified code is retried; without it, not", async () => {
    assert.equal(await attempts("error=9999;transient=1", { maxRetries: 1 }), 2);
    assert.equal(await attempts("error=9999"), 1);
  });

  test("rate limits without a known wait and 5xx HTML are retried up to maxRetries", async () => {
    assert.equal(await attempts("error=4", { maxRetries: 1 }), 2);
    assert.equal(await attempts("html=503", { maxRetries: 1 }), 2);
  });

  for (const spec of ["error=190;transient=1", "error=10;transient=1", "error=368;transient=1", "error=100;transient=1", "error=2500;transient=1"]) {
    test(`never retried even when transient: ${spec}`, async () => {
      const { err, log } = await failing(spec, { maxRetries: undefined });
      assert.equal(err.isTransient, true);
      assert.equal(log.length, 1);
    });
  }

  test("maxRetries 0: one attempt", async () => {
    assert.equal(await attempts("error=1", { maxRetries: 0 }), 1);
  });

  test("a rate limit asking for over 60 s is thrown at once with retryAfterMs", async () => {
    const { err, log, elapsed } = await failing("error=80001;eta=2", { maxRetries: undefined });
    assertClass(err, RateLimitError, "ERR_GRAPH_RATE_LIMIT");
    assert.equal(err.retryAfterMs, 120000);
    assert.equal(log.length, 1);
    assert.ok(elapsed < 240, `thrown at once (${elapsed} ms)`);
  });

  test("a rate limit asking for 60 s waits that long (no early retry)", async () => {
    const id = runId("eta1");
    const controller = new AbortController();
    const call = listConversations(baseOptions(ctx.mock, id, "error=4;eta=1", { signal: controller.signal }));
    await sleep(1300);
    controller.abort("stop waiting");
    assert.equal(await rejection(call), "stop waiting");
    assert.equal((await requestsOf(ctx.mock, id)).length, 1, "no retry within 1.3 s");
  });

  test("a timed-out attempt is retried and the retry's page returned", async () => {
    const id = runId("timeout-retry");
    const page = await listConversations(baseOptions(ctx.mock, id, "slow=3000;times=1", { timeoutMs: 400, maxRetries: 1, limit: 2 }));
    assert.deepEqual(page.data.map((c) => c.id), expectedIds(ctx.mock).slice(0, 2));
    assert.equal((await requestsOf(ctx.mock, id)).length, 2);
  });
});

describe("aborts", { concurrency: true }, () => {
  for (const [label, reason] of [["a string", "navigated away"], ["a number", 42], ["an Error", new Error("x")], ["nothing (DOMException)", undefined]]) {
    test(`abort with ${label} during a request rejects with exactly signal.reason`, async () => {
      const controller = new AbortController();
      const call = listConversations(baseOptions(ctx.mock, runId("abort"), "slow=3000", { signal: controller.signal }));
      await sleep(50);
      const started = Date.now();
      if (reason === undefined) controller.abort(); else controller.abort(reason);
      const err = await rejection(call);
      assert.ok(Date.now() - started < 300);
      assert.equal(err, controller.signal.reason);
      if (reason !== undefined) assert.equal(err, reason);
      else assert.ok(err instanceof DOMException && err.name === "AbortError");
    });
  }

  test("an already aborted signal rejects with its reason and sends nothing", async () => {
    const id = runId("pre-aborted");
    const signal = AbortSignal.abort("too late");
    assert.equal(await rejection(listConversations(baseOptions(ctx.mock, id, "", { signal }))), "too late");
    assert.equal(await rejection(listMessages({ conversationId: "t_1", accessToken: TOKEN, baseUrl: scenarioUrl(ctx.mock, id), signal })), "too late");
    assert.deepEqual(await requestsOf(ctx.mock, id), []);
  });

  test("aborting during a backoff wait returns at once, no retry follows, and the next call works", async () => {
    const id = runId("abort-backoff");
    const controller = new AbortController();
    const reason = { why: "user left" };
    const call = listConversations(baseOptions(ctx.mock, id, "error=1;times=1", { signal: controller.signal, maxRetries: 2 }));
    // Wait until the first attempt has been answered (500): the package is then in its backoff.
    for (let i = 0; i < 200 && (await requestsOf(ctx.mock, id))[0]?.status !== 500; i += 1) await sleep(5);
    await sleep(30);
    const started = Date.now();
    controller.abort(reason);
    assert.equal(await rejection(call), reason);
    assert.ok(Date.now() - started < 300, `${Date.now() - started} ms`);
    await sleep(1100);
    assert.equal((await requestsOf(ctx.mock, id)).length, 1, "the cancelled retry never ran");
    const page = await listConversations(baseOptions(ctx.mock, id, "error=1;times=1", { limit: 3 }));
    assert.deepEqual(page.data.map((c) => c.id), expectedIds(ctx.mock).slice(0, 3));
  });
});

describe("secrets", { concurrency: true }, () => {
  test("the scan itself finds a secret hidden in a cause or a non-enumerable property", () => {
    const err = new Error("fine", { cause: { deep: [`x${TOKEN}`] } });
    assert.throws(() => assertNoSecrets(err, [TOKEN]), /leaks/);
    const other = new Error("fine");
    Object.defineProperty(other, "hidden", { value: `?access_token=1`, enumerable: false });
    assert.throws(() => assertNoSecrets(other, [TOKEN]), /leaks/);
    assertNoSecrets(new Error("fine"), [TOKEN]);
  });

  test("Graph echoing the token (echo=1): not in the error, query or header placement", async () => {
    for (const tokenIn of ["query", "header"]) {
      const { err, secrets } = await failing("error=190;echo=1", { tokenIn });
      assertClass(err, AuthError, "ERR_GRAPH_AUTH");
      assert.match(err.message, /Malformed access token/);
      assertNoSecrets(err, secrets, `echo ${tokenIn}`);
    }
  });

  test("timed proofs and echoed tokens in truncated or HTML answers never leak", async () => {
    for (const spec of ["error=190;echo=1;truncate=1", "html=500", "error=1;echo=1"]) {
      const { err, secrets } = await failing(spec, { timedAppSecretProof: true });
      assertNoSecrets(err, secrets, spec);
    }
  });

  test("tokens with URL- and JSON-special characters leak in no form (raw, encoded, escaped)", async () => {
    for (const token of ['EAA|w/e+i"r\\d%x', "EAA*~!'()x", "EAA<&>x;=,:@$"]) {
      const forms = [token, encodeURIComponent(token), new URLSearchParams({ t: token }).toString().slice(2), JSON.stringify(token).slice(1, -1).replaceAll("/", "\\/")];
      for (const tokenIn of ["query", "header"]) {
        const id = runId("special");
        const options = baseOptions(ctx.mock, id, "", { accessToken: token, tokenIn, appSecret: MOCK_APP_SECRET, fields: "messages.limit(1){id}", limit: 3 });
        const page = await listConversations(options);
        assert.ok(page.data.every((c) => c.messages.paging.next));
        assertNoSecrets(page, forms, `page ${tokenIn}`);
        const err = await rejection(listConversations({ ...options, baseUrl: scenarioUrl(ctx.mock, id, "error=190;echo=1") }));
        assert.ok(err instanceof AuthError);
        assertNoSecrets(err, forms, `echo ${tokenIn}`);
        const log = await requestsOf(ctx.mock, id);
        assert.deepEqual(log.map((e) => e.status), [200, 400]);
        assert.equal(log[0].proof, hmac(MOCK_APP_SECRET, token), "the token arrived intact (the proof checks out)");
      }
    }
  });

  test("a refused option never echoes the token", async () => {
    for (const options of [{ pageId: TOKEN }, { pageId: MOCK_PAGE_ID, accessToken: `${TOKEN} x` }, { folder: TOKEN }, { after: `${TOKEN} `, before: TOKEN }]) {
      const err = await rejection(listConversations({ pageId: MOCK_PAGE_ID, accessToken: TOKEN, ...options }));
      assert.ok(err instanceof InvalidOptionsError);
      assertNoSecrets(err, [TOKEN], "InvalidOptionsError");
    }
  });

  test("pages with nested messages links carry no token or proof (query, header, timed)", async () => {
    const fields = "messages.limit(2){id}";
    for (const extra of [{ tokenIn: "query", appSecret: MOCK_APP_SECRET }, { tokenIn: "header" }, { tokenIn: "query", appSecret: MOCK_APP_SECRET, timedAppSecretProof: true }]) {
      const id = runId("nested-secret");
      const page = await listConversations(baseOptions(ctx.mock, id, "", { fields, limit: 5, ...extra }));
      const proofs = (await requestsOf(ctx.mock, id)).map((e) => e.proof);
      assertNoSecrets(page, [TOKEN, MOCK_APP_SECRET, PLAIN_PROOF, ...proofs], "page");
      assert.ok(!JSON.stringify(page).includes("appsecret_proof"));
      const links = page.data.map((c) => c.messages.paging?.next).filter(Boolean);
      assert.ok(links.length > 0, "nested next links are kept");
      assert.ok(links.every((link) => new URL(link).searchParams.has("after")), "with their cursors");
    }
  });

  test("no cursor carries the token or proof, legacy links included", async () => {
    const thread = ctx.mock.inbox.threads.find((t) => t.readable.length >= 9);
    for (const spec of ["", "legacy=1"]) {
      const id = runId("cursor-secret");
      const common = { tokenIn: "query", appSecret: MOCK_APP_SECRET, limit: 4, fields: "id,messages.limit(1){id}" };
      const one = await listConversations(baseOptions(ctx.mock, id, spec, common));
      const two = await listConversations(baseOptions(ctx.mock, id, spec, { ...common, after: one.paging.nextCursor }));
      const messages = await listMessages({ conversationId: thread.id, accessToken: TOKEN, baseUrl: scenarioUrl(ctx.mock, id, spec), tokenIn: "query", appSecret: MOCK_APP_SECRET, limit: 3 });
      const cursors = [one, two, messages].flatMap((p) => [p.paging.nextCursor, p.paging.previousCursor]).filter((c) => c !== null);
      assert.equal(cursors.length, 4);
      for (const cursor of cursors) {
        for (const needle of [TOKEN, PLAIN_PROOF, MOCK_APP_SECRET, "access_token", "appsecret_proof"]) assert.ok(!cursor.includes(needle), cursor);
      }
      assertNoSecrets([one, two, messages], [TOKEN, PLAIN_PROOF, MOCK_APP_SECRET], `pages ${spec}`);
    }
  });
});
