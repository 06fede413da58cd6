// Soak: paginateConversations through the built package over many seeded random worlds
// (`random=S`) with seeded faults (`faults=S`: 5xx HTML, connection resets, 80006/613/4 rate
// limits with and without usage headers and short etas, transient code 2, answers slower than
// timeoutMs; on some seeds also truncated JSON, 2-minute etas and an auth error at page N).
// For every seed: no conversation lost or repeated (against mock.randomInbox), the run completes,
// or ends with the typed error of the first fatal fault after exactly the pages before it; it
// never hangs (a deadline per seed); no page is attempted more than maxRetries + 1 times; and the
// waits between attempts honour the backoff (first retry after at least 250 ms, doubling) or the
// rate limit's eta (waits about eta). Seeds run 8 at a time.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { AuthError, InvalidResponseError, RateLimitError, paginateConversations } from "page-conversations";

import { MOCK_PAGE_ID, startMockGraph } from "../graph-mock/server.mjs";
import { TOKEN, runId } from "./helpers.mjs";

const SEEDS = [...Array.from({ length: 54 }, (_, i) => i + 1), 999, 1000];
const CONCURRENCY = 8;
const MAX_RETRIES = 3;
const TIMEOUT_MS = 150;
const DEADLINE_MS = 30_000;
/** The first backoff is 250-1000 ms, doubling with each retry (API.md). */
const BACKOFF_MIN_MS = 250;
const BACKOFF_MAX_MS = 1000;
/** Scheduling slack on top of the longest expected wait (8 pagers and the mock share one process). */
const SLACK_MS = 500;
/**
 * How much earlier than its arrival here a request may have been sent (its timeout started then):
 * up to the whole timeout on a loaded machine (it timed out meanwhile; 123 ms was seen with a
 * build running beside the tests).
 */
const SEND_LATENCY_MS = TIMEOUT_MS;
/** Timer and clock granularity: a wait measured between two arrivals at the mock. */
const EARLY_MS = 2;
/** A rate limit asking for more than this is thrown at once (API.md). */
const MAX_RATE_LIMIT_WAIT_MS = 60_000;

let mock;
before(async () => {
  mock = await startMockGraph({ port: 0, conversations: 10 });
  // Warm up fetch, the wasm module and the mock's random worlds, so that the first pages of the
  // soak are not late for a 150 ms timeout because of one-time costs.
  await (await fetch(`${mock.url}/__mock/health`)).text();
  const warm = paginateConversations({ pageId: MOCK_PAGE_ID, accessToken: TOKEN, baseUrl: `${mock.url}/_/id=${runId("warm")};random=7`, requestsPerSecond: 0 });
  await warm.toArray({ limit: 200 });
  for (const seed of SEEDS) mock.randomInbox(seed);
});
after(async () => { await mock?.close(); });

/** The scenario and page size of a seed: some seeds add an auth error, truncated JSON or long etas. */
function seedConfig(seed) {
  const limit = Math.min(100, 40 + ((seed * 37) % 61));
  const spec = [`random=${seed}`, `faults=${seed}`, "faultrate=30"];
  if (seed % 5 === 2) spec.push(`authat=${1 + (seed % 4)}`);
  if (seed % 4 === 3) spec.push("faultkinds=all");
  if (seed % 11 === 4) spec.push("faulteta=2");
  return { limit, spec: spec.join(";") };
}

/** The error a fault ends the run with (null when it is retried). */
function fatalClass(entry) {
  if (entry.fault === "auth") return AuthError;
  if (entry.fault === "truncate") return InvalidResponseError;
  if (entry.fault === "ratelimit-usage" && entry.faultInfo.eta * 60_000 > MAX_RATE_LIMIT_WAIT_MS) return RateLimitError;
  return null;
}

/** Runs one seed: the pager to its end, its error or the deadline, then checks it against the truth and the log. */
async function soakSeed(seed) {
  const { limit, spec } = seedConfig(seed);
  const id = runId(`soak${seed}`);
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(new Error(`seed ${seed} hung (${DEADLINE_MS} ms)`)), DEADLINE_MS);
  const got = [];
  let error = null;
  const started = performance.now();
  try {
    const pager = paginateConversations({
      pageId: MOCK_PAGE_ID, accessToken: TOKEN, baseUrl: `${mock.url}/_/id=${id};${spec}`, limit,
      requestsPerSecond: 0, timeoutMs: TIMEOUT_MS, maxRetries: MAX_RETRIES, signal: controller.signal,
    });
    for await (const conversation of pager) got.push(conversation.id);
  } catch (err) {
    error = err;
  } finally {
    clearTimeout(deadline);
  }
  const elapsedMs = performance.now() - started;
  assert.ok(!controller.signal.aborted, `seed ${seed} hung`);

  const truth = mock.randomInbox(seed, { limit });
  const log = mock.log(id).filter((entry) => entry.method === "GET");
  // Attempts per position, positions in the order the pager reached them.
  const positions = [];
  for (const entry of log) {
    (positions[entry.positionIndex - 1] ??= []).push(entry);
    if (entry.random && !entry.random.standard) {
      assert.equal(entry.random.page, entry.positionIndex, `seed ${seed}: position ${entry.positionIndex} is plan page ${entry.random.page}`);
    }
  }
  assert.ok(positions.every(Boolean), `seed ${seed}: positions are numbered without gaps`);

  // The first fatal fault decides the outcome; every position before it was served.
  const fatalAt = log.findIndex((entry) => fatalClass(entry) !== null);
  const fatal = fatalAt >= 0 ? log[fatalAt] : null;
  const pagesBefore = fatal ? fatal.positionIndex - 1 : truth.pages.length;
  const expectedCount = truth.pages.slice(0, pagesBefore).reduce((sum, page) => sum + page.count, 0);
  const expected = truth.conversations.slice(0, expectedCount).map((c) => c.id);
  if (fatal) {
    const Class = fatalClass(fatal);
    assert.ok(error instanceof Class, `seed ${seed}: expected ${Class.name} after a ${fatal.fault} fault, got ${error?.name}: ${error?.message}`);
    assert.equal(fatalAt, log.length - 1, `seed ${seed}: nothing is requested after the ${fatal.fault} fault`);
    if (Class === RateLimitError) assert.equal(error.retryAfterMs, fatal.faultInfo.eta * 60_000);
    if (Class === InvalidResponseError) assert.equal(error.status, 200);
  } else {
    assert.equal(error, null, `seed ${seed}: ${error?.name}: ${error?.message}`);
    assert.equal(positions.length, truth.pages.length, `seed ${seed}: one position per planned page`);
  }
  const lost = expected.filter((conversationId) => !got.includes(conversationId)).length;
  const repeated = got.length - new Set(got).size;
  assert.deepEqual(got, expected, `seed ${seed}: the conversations, in order, exactly once`);

  // Attempts per page, and the waits between them.
  let retries = 0;
  let spurious = 0;
  const waits = { backoff: [], eta: [] };
  for (const attempts of positions) {
    assert.ok(attempts.length <= MAX_RETRIES + 1, `seed ${seed}: ${attempts.length} attempts at ${attempts[0].position}`);
    retries += attempts.length - 1;
    for (let k = 1; k < attempts.length; k += 1) {
      const previous = attempts[k - 1];
      const gap = attempts[k].at - previous.at;
      if (!previous.fault) spurious += 1; // served, but too late for the client's timeoutMs (a loaded machine)
      const etaMs = previous.fault === "ratelimit-usage" ? previous.faultInfo.eta * 60_000 : 0;
      if (etaMs > 0) {
        waits.eta.push(gap - etaMs);
        assert.ok(gap >= etaMs - EARLY_MS && gap <= etaMs + SLACK_MS, `seed ${seed}: waited ${gap} ms for a ${etaMs} ms eta`);
      } else {
        // A timed-out attempt's timer started when the client sent it, a little before it arrived here.
        const timedOut = previous.fault === "slow" || !previous.fault;
        const backoff = BACKOFF_MIN_MS * 2 ** (k - 1);
        const min = backoff + (timedOut ? TIMEOUT_MS - SEND_LATENCY_MS : 0);
        const max = BACKOFF_MAX_MS * 2 ** (k - 1) + (timedOut ? TIMEOUT_MS : 0) + SLACK_MS;
        waits.backoff.push((gap - (timedOut ? TIMEOUT_MS : 0)) / backoff);
        assert.ok(gap >= min - EARLY_MS && gap <= max, `seed ${seed}: retry ${k} after a ${previous.fault} fault came ${gap} ms later (expected ${min}-${max})`);
      }
    }
  }
  const faults = {};
  for (const entry of log) if (entry.fault) faults[entry.fault] = (faults[entry.fault] ?? 0) + 1;
  return {
    seed, conversations: got.length, requests: log.length, pages: positions.length, retries, spurious, faults, waits,
    lost, repeated, outcome: error ? error.name : "complete", elapsedMs,
  };
}

test(`soak: ${SEEDS.length} seeds of random worlds with seeded faults, ${CONCURRENCY} at a time`, async (t) => {
  const started = performance.now();
  const results = [];
  const queue = [...SEEDS];
  const failures = [];
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    for (let seed = queue.shift(); seed !== undefined; seed = queue.shift()) {
      try {
        results.push(await soakSeed(seed));
      } catch (err) {
        failures.push(err);
      }
    }
  }));
  const wallMs = performance.now() - started;
  if (failures.length) throw failures.length === 1 ? failures[0] : new AggregateError(failures, failures.map((e) => e.message).join("\n"));

  const sum = (key) => results.reduce((total, r) => total + r[key], 0);
  const faults = {};
  for (const r of results) for (const [kind, n] of Object.entries(r.faults)) faults[kind] = (faults[kind] ?? 0) + n;
  const outcomes = {};
  for (const r of results) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
  const backoffRatios = results.flatMap((r) => r.waits.backoff);
  const etaOvershoots = results.flatMap((r) => r.waits.eta);
  t.diagnostic(`seeds ${results.length}, conversations ${sum("conversations")}, pages ${sum("pages")}, requests ${sum("requests")}, retries ${sum("retries")} (${sum("spurious")} after a late but unfaulted answer)`);
  t.diagnostic(`faults injected ${Object.values(faults).reduce((a, b) => a + b, 0)}: ${JSON.stringify(faults)}`);
  t.diagnostic(`outcomes ${JSON.stringify(outcomes)}; lost ${sum("lost")}, repeated ${sum("repeated")}`);
  t.diagnostic(`backoff waits (minus the timeout when timed out) / nominal minimum: ${Math.min(...backoffRatios).toFixed(2)}..${Math.max(...backoffRatios).toFixed(2)} over ${backoffRatios.length} retries; waits after an eta minus the eta: ${Math.min(...etaOvershoots)}..${Math.max(...etaOvershoots)} ms over ${etaOvershoots.length}`);
  t.diagnostic(`slowest seed ${Math.max(...results.map((r) => r.elapsedMs)).toFixed(0)} ms; wall time ${(wallMs / 1000).toFixed(1)} s`);

  assert.equal(results.length, SEEDS.length);
  assert.ok(results.length >= 50);
  assert.equal(sum("lost") + sum("repeated"), 0);
  assert.ok(outcomes.complete >= 35, JSON.stringify(outcomes));
  assert.ok(outcomes.AuthError >= 3, "authat seeds end with AuthError");
  for (const kind of ["html", "reset", "ratelimit", "ratelimit-usage", "transient", "slow", "truncate", "auth"]) {
    assert.ok(faults[kind] > 0, `no ${kind} fault was injected`);
  }
  assert.ok(etaOvershoots.length > 0, "some retries waited for an eta");
  assert.ok(sum("conversations") > 5000);
});
