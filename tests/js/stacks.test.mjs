// An error's stack shows where the caller made the call (stack-probe.js), under the error's own
// `name: message` line, for every kind of failure, in Node.
import assert from "node:assert/strict";
import { test } from "node:test";

import * as api from "page-conversations";

import { failureStacks } from "./stack-probe.js";
import { MOCK_PAGE_ID, TOKEN, closedPort, useMock } from "./helpers.mjs";

const ctx = useMock();

test("every error's stack names the caller's file, below its name and message", async () => {
  const closed = `http://127.0.0.1:${await closedPort()}`;
  const stacks = await failureStacks(api, { pageId: MOCK_PAGE_ID, accessToken: TOKEN, baseUrl: ctx.mock.url }, closed);
  const expected = { options: "InvalidOptionsError", graph: "AuthError", network: "NetworkError", pager: "AuthError", client: "InvalidOptionsError" };
  for (const [kind, name] of Object.entries(expected)) {
    const failure = stacks[kind];
    assert.ok(failure, `${kind}: the call did not fail`);
    assert.equal(failure.name, name, kind);
    assert.ok(failure.stack.startsWith(`${name}: `), `${kind}: ${failure.stack.split("\n")[0]}`);
    assert.match(failure.stack, /stack-probe\.js:\d+/, `${kind}: the caller is not in the stack:\n${failure.stack}`);
    assert.ok(!failure.stack.includes(TOKEN), `${kind}: the token leaked into the stack`);
  }
});
