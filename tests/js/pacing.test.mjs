// Pacing turns: a call aborted while it waits for its turn gives the turn back at once (nothing is
// sent for it, and nobody waits for it), and one-page calls are paced when given requestsPerSecond.
import assert from "node:assert/strict";
import { test } from "node:test";

import { listConversations, paginateConversations } from "page-conversations";

import { baseOptions, requestsOf, runId, useMock } from "./helpers.mjs";

const ctx = useMock();
/** A random world of the mock, which serves any Page id (each test paces a Page of its own). */
const WORLD = "random=303;size=60;emptyrate=0";
let pageCounter = 0;
/** A Page id no other test paces. */
const freshPageId = () => `7${String(process.pid).padStart(7, "0")}${String((pageCounter += 1)).padStart(6, "0")}`;

/** The first page of a pager, and when the caller got it. */
async function firstPage(pager) {
  const iterator = pager.pages()[Symbol.asyncIterator]();
  const step = await iterator.next();
  await iterator.return();
  return { page: step.value, at: Date.now() };
}

test("40 pagers aborted while waiting give their turns back: the next pager is paced as if they never existed", async () => {
  const id = runId("turns");
  const options = baseOptions(ctx.mock, id, WORLD, { pageId: freshPageId(), limit: 2, maxPages: 1, requestsPerSecond: 2 });
  const started = Date.now();
  await firstPage(paginateConversations(options)); // takes the Page's turn now
  const controllers = Array.from({ length: 40 }, () => new AbortController());
  const waiting = controllers.map((controller) =>
    firstPage(paginateConversations({ ...options, signal: controller.signal })).then(
      () => "sent",
      (reason) => reason,
    ));
  await new Promise((resolve) => setTimeout(resolve, 50));
  controllers.forEach((controller, index) => controller.abort(`gone ${index}`));
  const outcomes = await Promise.all(waiting);
  assert.deepEqual(outcomes, controllers.map((_, index) => `gone ${index}`), "each rejects with its own reason");
  const fresh = await firstPage(paginateConversations(options));
  assert.ok(fresh.page.data.length > 0);
  // One interval (515 ms) after the first request, not 41 of them (21 s) as before.
  assert.ok(fresh.at - started < 1500, `the fresh pager waited ${fresh.at - started} ms`);
  const log = await requestsOf(ctx.mock, id);
  assert.equal(log.length, 2, "nothing was sent for the aborted pagers");
  // 450, not 500: the first request also opens the connection (as in contract.test.mjs).
  assert.ok(log[1].at - log[0].at >= 450, `the pace holds: ${log[1].at - log[0].at} ms`);
});

test("a one-page call is paced only when given requestsPerSecond, and shares the Page's turns", async () => {
  const id = runId("list-paced");
  const options = baseOptions(ctx.mock, id, WORLD, { pageId: freshPageId(), limit: 1 });
  for (let i = 0; i < 3; i++) await listConversations({ ...options, requestsPerSecond: 2 });
  const paced = (await requestsOf(ctx.mock, id)).map((e) => e.at);
  assert.equal(paced.length, 3);
  for (let i = 1; i < 3; i++) assert.ok(paced[i] - paced[i - 1] >= 450, `gap ${paced[i] - paced[i - 1]} ms`);

  const free = runId("list-free");
  const unpaced = baseOptions(ctx.mock, free, WORLD, { pageId: freshPageId(), limit: 1 });
  const before = Date.now();
  for (let i = 0; i < 3; i++) await listConversations(unpaced);
  assert.ok(Date.now() - before < 500, "without requestsPerSecond, one-page calls are not paced");
});

test("aborted one-page calls waiting for their turn send nothing and hold nobody up", async () => {
  const id = runId("list-turns");
  const options = baseOptions(ctx.mock, id, WORLD, { pageId: freshPageId(), limit: 1, requestsPerSecond: 1 });
  const started = Date.now();
  await listConversations(options);
  const controller = new AbortController();
  const waiting = Array.from({ length: 20 }, () => listConversations({ ...options, signal: controller.signal }).catch((e) => e));
  await new Promise((resolve) => setTimeout(resolve, 50));
  controller.abort("left");
  assert.deepEqual(await Promise.all(waiting), Array(20).fill("left"));
  await listConversations(options);
  assert.ok(Date.now() - started < 1500, `${Date.now() - started} ms: one interval, not 21`);
  assert.equal((await requestsOf(ctx.mock, id)).length, 2);
});
