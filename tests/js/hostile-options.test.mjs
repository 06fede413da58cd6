// 10,000 hostile option objects (hostile-options.js), mixed with valid calls, in Node: each is an
// InvalidOptionsError (none resolves, none rejects with anything else, none stays unsettled), no
// uncaught exception or unhandled rejection, the instance keeps answering, and the wasm memory and
// externref table end within 10 % of where they started.
import assert from "node:assert/strict";
import { test } from "node:test";

import * as api from "page-conversations";

import { initSync } from "../../pkg/gen/page_conversations.js";
import { runHostile } from "./hostile-options.js";
import { baseOptions, runId, useMock } from "./helpers.mjs";

const ctx = useMock();
const wasm = initSync();

/** The wasm memory's bytes and the externref table's length. */
const memory = () => ({ wasmBytes: wasm.memory.buffer.byteLength, externrefs: wasm.__wbindgen_externrefs.length });

/** Asserts that `after` is within 10 % of `before`, field by field. */
export function assertWithinTenPercent(before, after) {
  for (const key of Object.keys(before)) {
    assert.ok(after[key] <= before[key] * 1.1, `${key}: ${before[key]} -> ${after[key]}`);
  }
}

test("10,000 hostile option objects are InvalidOptionsError, and the instance is unharmed", async () => {
  const uncaught = [];
  const onUncaught = (error) => uncaught.push(error);
  process.on("uncaughtException", onUncaught);
  process.on("unhandledRejection", onUncaught);
  try {
    const base = baseOptions(ctx.mock, runId("hostile"));
    // Warm up: the first calls grow the memory and the table to their working size.
    await runHostile(api, base, { count: 300 });
    const result = await runHostile(api, base, { count: 10_000, memory });
    assert.deepEqual(result.failures, []);
    assert.equal(result.refused + result.resolvedAsAllowed, 10_000);
    assert.equal(result.valid, 100);
    assert.equal(result.lastCount, 2);
    assertWithinTenPercent(result.before, result.after);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(uncaught, []);
  } finally {
    process.off("uncaughtException", onUncaught);
    process.off("unhandledRejection", onUncaught);
  }
});
