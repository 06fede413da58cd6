// Bad options are refused with InvalidOptionsError naming the option, as a rejection, before
// any request reaches the mock Graph (checked in its log); unknown options are refused; the
// error's message never contains the token.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { GraphError, InvalidOptionsError, listConversations, listMessages } from "page-conversations";

import {
  MOCK_APP_SECRET, MOCK_PAGE_ID, TOKEN, assertNoSecrets, expectedIds, requestsOf, runId,
  scenarioUrl, useMock,
} from "./helpers.mjs";

const ctx = useMock();
const HEX64 = "ab".repeat(32);

/** Calls `fn(options)`; it must return a promise (no synchronous throw) that rejects. */
async function refusal(fn, options) {
  let promise;
  assert.doesNotThrow(() => { promise = fn(options); }, "refused by a rejection, not a synchronous throw");
  assert.ok(promise instanceof Promise);
  try {
    await promise;
  } catch (err) {
    return err;
  }
  return assert.fail("the options were accepted");
}

// [label, options over a valid base (a function of the mock and run id for URL cases), option named, call]
const CASES = [
  ["pageId path traversal", { pageId: `../${MOCK_PAGE_ID}` }, "pageId"],
  ["pageId traversal after digits", { pageId: `${MOCK_PAGE_ID}/../me` }, "pageId"],
  ["pageId with a query", { pageId: `${MOCK_PAGE_ID}?fields=id` }, "pageId"],
  ["pageId with an encoded slash", { pageId: `${MOCK_PAGE_ID}%2Fconversations` }, "pageId"],
  ["pageId with a fragment", { pageId: `${MOCK_PAGE_ID}#x` }, "pageId"],
  ["pageId full-width digits", { pageId: "１０００００００００００００００１" }, "pageId"],
  ["pageId a number", { pageId: Number(MOCK_PAGE_ID) }, "pageId"],
  ["pageId empty", { pageId: "" }, "pageId"],
  ["pageId missing", { pageId: undefined }, "pageId"],
  ["pageId ME", { pageId: "ME" }, "pageId"],
  ["accessToken with CR LF", { accessToken: `${TOKEN}\r\nX-Injected: 1` }, "accessToken"],
  ["accessToken with a space", { accessToken: `${TOKEN} x` }, "accessToken"],
  ["accessToken with a tab", { accessToken: `${TOKEN}\t` }, "accessToken"],
  ["accessToken empty", { accessToken: "" }, "accessToken"],
  ["accessToken a number", { accessToken: 12345 }, "accessToken"],
  ["accessToken missing", { accessToken: undefined }, "accessToken"],
  ["folder unknown", { folder: "archive" }, "folder"],
  ["folder not exactly spelled", { folder: "Inbox" }, "folder"],
  ["platform unknown", { platform: "whatsapp" }, "platform"],
  ["tokenIn unknown", { tokenIn: "cookie" }, "tokenIn"],
  ["userId not digits", { userId: "12a" }, "userId"],
  ["fields a number", { fields: 42 }, "fields"],
  ["limit 0", { limit: 0 }, "limit"],
  ["limit 1001", { limit: 1001 }, "limit"],
  ["limit 2.5", { limit: 2.5 }, "limit"],
  ["limit a string", { limit: "25" }, "limit"],
  ["limit NaN", { limit: NaN }, "limit"],
  ["timeoutMs 0", { timeoutMs: 0 }, "timeoutMs"],
  ["timeoutMs -1", { timeoutMs: -1 }, "timeoutMs"],
  ["maxRetries -1", { maxRetries: -1 }, "maxRetries"],
  ["maxRetries 1.5", { maxRetries: 1.5 }, "maxRetries"],
  ["after and before together", { after: "QUFB", before: "QkJC" }, ["after", "before"]],
  ["apiVersion without v", { apiVersion: "25.0" }, "apiVersion"],
  ["apiVersion without minor", { apiVersion: "v25" }, "apiVersion"],
  ["apiVersion with a path", { apiVersion: "v25.0/../../x" }, "apiVersion"],
  ["baseUrl ftp", (m, id) => ({ baseUrl: scenarioUrl(m, id).replace(/^http/, "ftp") }), "baseUrl"],
  ["baseUrl without a host", { baseUrl: "http:///v25.0" }, "baseUrl"],
  ["baseUrl not a URL", { baseUrl: "graph.facebook.com" }, "baseUrl"],
  ["baseUrl with a query", (m, id) => ({ baseUrl: `${scenarioUrl(m, id)}?x=1` }), "baseUrl"],
  ["baseUrl with a fragment", (m, id) => ({ baseUrl: `${scenarioUrl(m, id)}#x` }), "baseUrl"],
  ["baseUrl with credentials", (m, id) => ({ baseUrl: scenarioUrl(m, id).replace("http://", "http://user:pw@") }), "baseUrl"],
  ["appSecret with appSecretProof", { appSecret: MOCK_APP_SECRET, appSecretProof: HEX64 }, ["appSecret", "appSecretProof"]],
  ["timedAppSecretProof without appSecret", { timedAppSecretProof: true }, "timedAppSecretProof"],
  ["appSecretTime without appSecretProof", { appSecretTime: 1795166930 }, "appSecretTime"],
  ["appSecretProof too short", { appSecretProof: "abc" }, "appSecretProof"],
  ["appSecretProof 64 non-hex", { appSecretProof: "zz".repeat(32) }, "appSecretProof"],
  ["appSecretProof 65 hex", { appSecretProof: `${HEX64}a` }, "appSecretProof"],
  ["signal a plain object", { signal: {} }, "signal"],
  ["signal a string", { signal: "abort" }, "signal"],
  ["signal the AbortController", { signal: new AbortController() }, "signal"],
  ["conversationId ..", { conversationId: ".." }, "conversationId", listMessages],
  ["conversationId .", { conversationId: "." }, "conversationId", listMessages],
  ["conversationId a/b", { conversationId: "a/b" }, "conversationId", listMessages],
  ["conversationId a?b", { conversationId: "a?b" }, "conversationId", listMessages],
  ["conversationId with a space", { conversationId: "t_1 2" }, "conversationId", listMessages],
  ["conversationId empty", { conversationId: "" }, "conversationId", listMessages],
];

describe("refused options", { concurrency: true }, () => {
  for (const [label, override, expected, fn = listConversations] of CASES) {
    test(label, async () => {
      const id = runId("opt");
      const base = { accessToken: TOKEN, baseUrl: scenarioUrl(ctx.mock, id) };
      if (fn === listConversations) base.pageId = MOCK_PAGE_ID;
      const options = { ...base, ...(typeof override === "function" ? override(ctx.mock, id) : override) };
      const err = await refusal(fn, options);
      assert.ok(err instanceof InvalidOptionsError && err instanceof GraphError, String(err));
      assert.equal(err.name, "InvalidOptionsError");
      assert.equal(err.code, "ERR_INVALID_OPTIONS");
      if (Array.isArray(expected)) assert.ok(expected.includes(err.option), err.option);
      else assert.equal(err.option, expected);
      assert.ok(err.message.includes(err.option), err.message);
      assertNoSecrets(err, [TOKEN, MOCK_APP_SECRET], label);
      assert.deepEqual(await requestsOf(ctx.mock, id), [], "no request was sent");
    });
  }

  for (const [label, value] of [["null", null], ["a string", "pageId=1"], ["an array", [MOCK_PAGE_ID, TOKEN]], ["nothing", undefined]]) {
    test(`options ${label}`, async () => {
      for (const fn of [listConversations, listMessages]) {
        const err = await refusal(fn, value);
        assert.ok(err instanceof InvalidOptionsError, String(err));
        assert.equal(typeof err.option, "string");
        assertNoSecrets(err, [TOKEN], label);
      }
    });
  }
});

describe("accepted options", () => {
  test("the same base options are accepted and reach the mock (control)", async () => {
    const id = runId("control");
    const page = await listConversations({ pageId: MOCK_PAGE_ID, accessToken: TOKEN, baseUrl: scenarioUrl(ctx.mock, id), limit: 2 });
    assert.deepEqual(page.data.map((c) => c.id), expectedIds(ctx.mock).slice(0, 2));
    assert.equal((await requestsOf(ctx.mock, id)).length, 1);
  });

  test("unknown options are refused before any request, with a hint when a known one is close", async () => {
    const id = runId("unknown");
    const base = { pageId: MOCK_PAGE_ID, accessToken: TOKEN, baseUrl: scenarioUrl(ctx.mock, id), limit: 2 };
    for (const [extra, option, hint] of [
      [{ cursor: "QVFI" }, "cursor", null],
      [{ pageID: MOCK_PAGE_ID }, "pageID", "pageId"],
      [{ acessToken: TOKEN }, "acessToken", "accessToken"],
      [{ page_id: "../x" }, "page_id", "pageId"],
      [{ Platform: "nope" }, "Platform", "platform"],
      [{ foo: "bar" }, "foo", null],
      [{ nested: { a: 1 } }, "nested", null],
    ]) {
      const err = await refusal(listConversations, { ...base, ...extra });
      assert.ok(err instanceof InvalidOptionsError, option);
      assert.equal(err.option, option);
      assert.match(err.message, /is not an option of listConversations/);
      if (hint) assert.ok(err.message.includes(`did you mean "${hint}"?`), err.message);
      else assert.doesNotMatch(err.message, /did you mean/);
    }
    // Options of other calls: named as such, without a hint.
    const folder = await refusal(listMessages, { conversationId: "t_1", accessToken: TOKEN, folder: "inbox" });
    assert.equal(folder.option, "folder");
    assert.match(folder.message, /"folder": is not an option of listMessages$/);
    const maxPages = await refusal(listConversations, { ...base, maxPages: 2 });
    assert.equal(maxPages.option, "maxPages");
    assert.deepEqual(await requestsOf(ctx.mock, id), []);
  });

  test("options set to undefined count as absent", async () => {
    const id = runId("undefined");
    await listConversations({
      pageId: MOCK_PAGE_ID, accessToken: TOKEN, baseUrl: scenarioUrl(ctx.mock, id), platform: undefined,
      folder: undefined, fields: undefined, limit: undefined, after: undefined, signal: undefined, appSecret: undefined,
    });
    const [entry] = await requestsOf(ctx.mock, id);
    assert.deepEqual([entry.query, entry.status], [{}, 200]);
  });
});
