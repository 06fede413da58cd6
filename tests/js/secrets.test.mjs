// No access token, app secret, proof or token-bearing URL in anything an error path throws:
// message, stack, toJSON(), every property (deep, non-enumerable and getters included) and
// cause. The same table of error paths (secret-cases.mjs: retries exhausted, aborts with any
// reason, timeouts, network failures, Graph echoing the token and the URL, legacy cursors,
// PagingError, pagers failing mid-sync, refused options) runs in Node and inside a Worker in
// workerd, with a token and an app secret full of URL-, JSON- and HTML-special characters.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import * as api from "page-conversations";

import { startMockGraph } from "../graph-mock/server.mjs";
import { closedPort, hmac, runId } from "./helpers.mjs";
import { findLeaks, reachableStrings, secretForms } from "./reachable.mjs";
import {
  APP_SECRET_PARTS, SECRET_CASES, SPECIAL_APP_SECRET, SPECIAL_TOKEN, TOKEN_PARTS, runSecretCase, secretEnv,
} from "./secret-cases.mjs";
import { startWorker } from "./worker-harness.mjs";

let mock;
let closedUrl;
let worker;

before(async () => {
  mock = await startMockGraph({ port: 0, conversations: 60 });
  closedUrl = `http://127.0.0.1:${await closedPort()}`;
  worker = await startWorker({
    MOCK_URL: mock.url, CLOSED_URL: closedUrl, TOKEN: "EAAUnusedWorkerToken",
    SPECIAL_TOKEN, SPECIAL_APP_SECRET,
  });
});
after(async () => {
  await worker?.dispose();
  await mock?.close();
});

/**
 * Everything that must not appear: the secrets in every form, the proofs the run sent, and URL
 * parameters that carry them (`appsecret_proof=[REDACTED]` is fine, a value is not).
 */
function needles(id) {
  const proofs = mock.log(id).map((e) => e.proof).filter(Boolean);
  return [
    ...secretForms(SPECIAL_TOKEN, TOKEN_PARTS), ...secretForms(SPECIAL_APP_SECRET, APP_SECRET_PARTS),
    hmac(SPECIAL_APP_SECRET, SPECIAL_TOKEN), ...proofs, "access_token", /appsecret_proof=(?!\[REDACTED\])/,
  ];
}

/** Fails with the leaks found. */
function assertNoLeaks(strings, id, label) {
  const leaks = findLeaks(strings, needles(id));
  assert.deepEqual(leaks, [], `${label} leaks`);
}

test("the scan catches the forms a secret can take", () => {
  const forms = secretForms(SPECIAL_TOKEN, TOKEN_PARTS);
  const url = `http://h/x?access_token=${encodeURIComponent(SPECIAL_TOKEN)}`;
  const hidden = new Error("fine", { cause: { deep: [JSON.stringify({ t: SPECIAL_TOKEN })] } });
  Object.defineProperty(hidden, "link", { get: () => url, enumerable: false });
  const texts = reachableStrings(hidden);
  assert.ok(findLeaks(texts, forms).length >= 2, "JSON-escaped in a cause and URL-encoded behind a getter");
  assert.ok(findLeaks([`token ${SPECIAL_TOKEN.slice(0, 20)}…`], forms).length === 1, "a token cut short");
  assert.deepEqual(findLeaks(reachableStrings(new Error("fine")), forms), []);
});

describe("Node: no secret on any error path", { concurrency: 4 }, () => {
  for (const { label } of SECRET_CASES) {
    test(label, async () => {
      const id = runId("secret");
      const env = secretEnv({ api, mockUrl: mock.url, closedUrl, id });
      const { thrown, extra, problems } = await runSecretCase(label, env);
      assert.deepEqual(problems, [], label);
      assertNoLeaks(reachableStrings([thrown, ...extra]), id, label);
      if (thrown instanceof api.GraphError) {
        assertNoLeaks([thrown.message, thrown.stack, JSON.stringify(thrown.toJSON()), String(thrown)], id, `${label} (direct)`);
      }
    });
  }

  test("the echo scenarios do put the secrets in Graph's answer (the cases prove something)", async () => {
    const id = runId("secret-control");
    const base = secretEnv({ api, mockUrl: mock.url, closedUrl, id }).base("error=190;echo=all", {});
    const url = new URL(`${base.baseUrl}/v25.0/${base.pageId}/conversations`);
    url.searchParams.set("access_token", SPECIAL_TOKEN);
    url.searchParams.set("appsecret_proof", hmac(SPECIAL_APP_SECRET, SPECIAL_TOKEN));
    const text = await (await fetch(url)).text();
    assert.ok(findLeaks([text], [...secretForms(SPECIAL_TOKEN), "access_token", /appsecret_proof=[0-9a-f]/]).length >= 3, text);
    const html = await (await fetch(url.href.replace("echo=all", "html=502;echo=all"))).text();
    assert.ok(html.includes(SPECIAL_TOKEN) && html.includes("access_token="), html);
  });
});

describe("workerd: the same walk inside the Worker", { concurrency: 4 }, () => {
  for (const { label } of SECRET_CASES) {
    test(label, async () => {
      const id = runId("wsecret");
      const { body } = await worker.get("/secrets", { label, id });
      assert.deepEqual(body.problems, [], label);
      assert.ok(body.strings.length > 0);
      assertNoLeaks(body.strings, id, `workerd: ${label}`);
    });
  }
});
