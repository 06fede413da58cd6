// Adversarial options (bad-options.js: path traversal and query injection in ids, CR/LF and
// non-ASCII in tokens, full-width digits, wrong types, out-of-range numbers, conflicting options)
// for listConversations, listMessages and paginateConversations, refused with
// InvalidOptionsError naming the option and before any request (the mock's log stays empty), in
// Node and inside a Worker in workerd. tests/wasm.rs runs the same table through wasm-bindgen-test.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import * as api from "page-conversations";

import { startMockGraph } from "../graph-mock/server.mjs";
import { badOptionCases, badOptionProblems, runBadOption } from "./bad-options.js";
import { TOKEN, closedPort, runId } from "./helpers.mjs";
import { startWorker } from "./worker-harness.mjs";

const WORKER_TOKEN = "EAAWorkerBadOptionsTok3n0123";
let mock;
let worker;

before(async () => {
  mock = await startMockGraph({ port: 0, conversations: 20 });
  worker = await startWorker({ MOCK_URL: mock.url, CLOSED_URL: `http://127.0.0.1:${await closedPort()}`, TOKEN: WORKER_TOKEN });
});
after(async () => {
  await worker?.dispose();
  await mock?.close();
});

const labels = badOptionCases({ baseUrl: "http://127.0.0.1", accessToken: TOKEN }).map((c) => c.label);

test("the table: at least 40 cases over the three calls, unique labels", () => {
  const cases = badOptionCases({ baseUrl: "http://127.0.0.1", accessToken: TOKEN });
  assert.ok(cases.length >= 40, `${cases.length} cases`);
  assert.equal(new Set(labels).size, labels.length);
  for (const call of ["listConversations", "listMessages", "paginateConversations"]) {
    assert.ok(cases.filter((c) => c.call === call).length >= 10, call);
  }
});

describe("Node", { concurrency: true }, () => {
  for (const label of labels) {
    test(label, async () => {
      const id = runId("bad");
      const testCase = badOptionCases({ baseUrl: `${mock.url}/_/id=${id}`, accessToken: TOKEN }).find((c) => c.label === label);
      const outcome = await runBadOption(api, testCase);
      assert.deepEqual(badOptionProblems(outcome, [TOKEN]), [], `${label}: ${outcome.name} ${outcome.option} ${outcome.message}`);
      assert.deepEqual(mock.log(id), [], "no request was sent");
    });
  }

  test("a refused pager fetches nothing later either", async () => {
    const id = runId("bad-pager");
    for (const testCase of badOptionCases({ baseUrl: `${mock.url}/_/id=${id}`, accessToken: TOKEN }).filter((c) => c.call === "paginateConversations")) {
      assert.throws(() => api.paginateConversations(testCase.options), api.InvalidOptionsError, testCase.label);
    }
    await new Promise((resolve) => { setTimeout(resolve, 50); });
    assert.deepEqual(mock.log(id), []);
  });
});

describe("workerd", () => {
  test("every case inside one Worker, nothing reaches the mock", async () => {
    const id = runId("wd-bad");
    const { body } = await worker.get("/bad-options", { id });
    assert.equal(body.outcomes.length, labels.length);
    const problems = body.outcomes
      .map((outcome) => [outcome.label, badOptionProblems(outcome, [WORKER_TOKEN])])
      .filter(([, list]) => list.length > 0);
    assert.deepEqual(problems, []);
    assert.deepEqual(mock.log(id), [], "no request was sent");
    const refusedAtOnce = body.outcomes.filter((o) => o.sync).map((o) => o.call);
    assert.ok(refusedAtOnce.every((call) => call === "paginateConversations"));
  });

  test("the Worker still serves pages afterwards", async () => {
    const id = runId("wd-bad-after");
    const { body } = await worker.get("/page", { spec: `id=${id}`, limit: "2" });
    assert.equal(body.page.data.length, 2);
    assert.equal(mock.log(id).length, 1);
  });
});

// A crafted link cursor (`~1.` + a query) must not add parameters to the Graph request
// (`method=delete`, `suppress_http_code=1`, `debug=all`, `date_format=U` that breaks
// updatedSince) or override `limit`: a Worker that takes `after` from a browser would forward
// them with its Page token.
test("a crafted link cursor adds no parameter beyond legacy paging ones", async () => {
  const id = runId("cursor-injection");
  const outcome = await api.listConversations({
    pageId: "1000000000000001", accessToken: TOKEN, baseUrl: `${mock.url}/_/id=${id}`, limit: 5,
    after: "~1.method=delete&suppress_http_code=1&debug=all&date_format=U&limit=1000&__paging_token=enc_x",
  }).then(() => "sent", (err) => err);
  const sent = mock.log(id).map((entry) => entry.query);
  if (outcome instanceof api.InvalidOptionsError) {
    assert.equal(outcome.option, "after");
    assert.deepEqual(sent, []);
  } else {
    for (const query of sent) {
      assert.deepEqual(Object.keys(query).filter((key) => !["limit", "until", "since", "__paging_token", "__previous"].includes(key)), [], JSON.stringify(query));
      assert.equal(query.limit, "5", "the option's limit wins");
    }
  }
});
