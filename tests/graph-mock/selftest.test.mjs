/**
 * Self-test of the mock Graph server: `node --test tests/graph-mock/`.
 */

import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { after, before, describe, test } from "node:test";

import { DEFAULT_FAULT_KINDS, FAULT_KINDS, positionOf, seededFault } from "./faults.mjs";
import { generateInbox } from "./inbox.mjs";
import { MAX_EMPTY_RUN } from "./random.mjs";
import { parseScenario } from "./scenario.mjs";
import {
  MOCK_APP_SECRET, MOCK_IG_ACCOUNT_ID, MOCK_PAGE_ID, MOCK_TOKEN, randomInbox, randomMessages, startMockGraph,
} from "./server.mjs";

const V = "v25.0";
let mock;

before(async () => { mock = await startMockGraph({ conversations: 120 }); });
after(() => mock.close());

/** GETs `path` (relative to `prefix`) and returns `{res, body}`; `token` goes in the query unless null. */
async function get(path, { prefix = "", token = MOCK_TOKEN, headers = {} } = {}) {
  const url = new URL(`${mock.url}${prefix}${path}`);
  if (token !== null) url.searchParams.set("access_token", token);
  const res = await fetch(url, { headers });
  const text = await res.text();
  return { res, text, body: JSON.parse(text) };
}

/** Fetches an absolute Graph `next` link as given. */
async function follow(link) {
  const res = await fetch(link);
  return { res, body: await res.json() };
}

const inboxPath = `/${V}/${MOCK_PAGE_ID}/conversations`;
const expectedInbox = (platform) => mock.inbox.threads.filter((t) => t.platform === platform && t.folder === "inbox");

describe("data", () => {
  test("is deterministic per seed and realistic", () => {
    const a = generateInbox({ seed: 7, conversations: 40 });
    assert.deepEqual(generateInbox({ seed: 7, conversations: 40 }).threads, a.threads);
    assert.notDeepEqual(generateInbox({ seed: 8, conversations: 40 }).threads[0], a.threads[0]);
    const times = mock.inbox.threads.map((t) => t.updatedMs);
    assert.deepEqual(times, [...times].sort((x, y) => y - x));
    for (const t of mock.inbox.threads) {
      assert.match(t.id, t.platform === "messenger" ? /^t_\d{15}$/ : /^[A-Za-z0-9_=-]+$/);
      assert.match(t.fields.updated_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);
      assert.notEqual(t.fields.unread_count, 0);
      assert.ok(t.messages.length >= 3 && t.messages.length <= 30);
    }
  });
});

describe("paging", () => {
  test("follows next to the end; cursors.after stays on the last page; continuing past it fails", async () => {
    const seen = [];
    let { body } = await get(`${inboxPath}?limit=10&fields=id,snippet`, { prefix: "/_/id=walk" });
    let last;
    for (;;) {
      seen.push(...body.data.map((c) => c.id));
      assert.ok(body.paging.cursors.after);
      if (!body.paging.next) { last = body; break; }
      assert.ok(body.paging.next.startsWith(`${mock.url}/_/id=walk/${V}/`));
      assert.match(body.paging.next, /access_token=EAAMockPageToken0123456789/);
      assert.match(body.paging.next, /fields=id%2Csnippet/);
      ({ body } = await follow(body.paging.next));
      assert.ok(body.paging.previous);
    }
    assert.deepEqual(seen, expectedInbox("messenger").map((t) => t.id));
    const past = await get(`${inboxPath}?limit=10&after=${encodeURIComponent(last.paging.cursors.after)}`);
    assert.equal(past.res.status, 400);
    assert.equal(past.body.error.code, 100);
    assert.match(past.body.error.message, /Invalid cursors values/);
    const forged = await get(`${inboxPath}?after=bm9wZQ==`);
    assert.equal(forged.body.error.error_subcode, 2642);
  });

  test("limit=1 gives before == after; before= goes back; limit is clamped to 100", async () => {
    const { body } = await get(`${inboxPath}?limit=1`);
    assert.equal(body.paging.cursors.before, body.paging.cursors.after);
    const second = await follow(body.paging.next);
    const back = await get(`${inboxPath}?limit=1&before=${encodeURIComponent(second.body.paging.cursors.before)}`);
    assert.deepEqual(back.body.data, body.data);
    const big = await get(`${inboxPath}?limit=1000&platform=INSTAGRAM&folder=inbox`);
    assert.equal(big.body.data.length, Math.min(100, expectedInbox("instagram").length));
  });

  test("legacy=1 pages through __paging_token links without cursors", async () => {
    const prefix = "/_/legacy=1";
    let { body } = await get(`${inboxPath}?limit=30`, { prefix });
    const seen = [];
    for (;;) {
      assert.equal(body.paging?.cursors, undefined);
      seen.push(...body.data.map((c) => c.id));
      if (!body.paging?.next) break;
      const next = new URL(body.paging.next);
      assert.ok(next.searchParams.get("__paging_token") && next.searchParams.get("until"));
      ({ body } = await follow(body.paging.next));
    }
    assert.deepEqual(seen, expectedInbox("messenger").map((t) => t.id));
  });

  test("empty=2 gives two empty pages with fresh cursors, then data; repeat=1 repeats the cursor", async () => {
    const prefix = "/_/id=empty;empty=2";
    const one = await get(`${inboxPath}?limit=5`, { prefix });
    const two = await follow(one.body.paging.next);
    const three = await follow(two.body.paging.next);
    assert.deepEqual([one.body.data.length, two.body.data.length, three.body.data.length], [0, 0, 5]);
    assert.notEqual(one.body.paging.cursors.after, two.body.paging.cursors.after);

    const first = await get(`${inboxPath}?limit=5`, { prefix: "/_/repeat=1" });
    const again = await follow(first.body.paging.next);
    assert.equal(again.body.paging.cursors.after, first.body.paging.cursors.after);
    assert.deepEqual(again.body.data, first.body.data);
  });
});

describe("fields", () => {
  test("default fields, projection, nested messages with a token-bearing next", async () => {
    const plain = await get(`${inboxPath}?limit=2`);
    assert.deepEqual(Object.keys(plain.body.data[0]), ["id", "updated_time"]);
    const fields = "snippet,participants{id},messages.limit(2){message,from}";
    const { body, text } = await get(`${inboxPath}?limit=3&fields=${encodeURIComponent(fields)}`);
    const conversation = body.data[0];
    assert.deepEqual(Object.keys(conversation), ["snippet", "participants", "messages", "id"]);
    assert.ok(conversation.participants.data.some((p) => p.id === MOCK_PAGE_ID));
    assert.deepEqual(Object.keys(conversation.participants.data[0]), ["id"]);
    assert.equal(conversation.messages.data.length, 2);
    assert.deepEqual(Object.keys(conversation.messages.data[0]), ["message", "from", "id"]);
    const next = new URL(conversation.messages.paging.next);
    assert.equal(next.searchParams.get("access_token"), MOCK_TOKEN);
    assert.equal(next.pathname, `/${V}/${conversation.id}/messages`);
    const page2 = await follow(conversation.messages.paging.next);
    assert.equal(page2.body.data.length, 2);
    assert.ok(!text.includes("https://"), "Graph escapes / as \\/");
  });

  test("unknown fields and syntax errors", async () => {
    const unknown = await get(`${inboxPath}?fields=id,bogus`);
    assert.equal(unknown.body.error.code, 100);
    assert.match(unknown.body.error.message, /nonexisting field \(bogus\) on node type \(UnifiedThread\)/);
    const nested = await get(`${inboxPath}?fields=messages{bogus}`);
    assert.match(nested.body.error.message, /node type \(Message\)/);
    const syntax = await get(`${inboxPath}?fields=${encodeURIComponent("id}")}`);
    assert.equal(syntax.body.error.code, 2500);
    assert.match(syntax.body.error.message, /^Syntax error "Expected end of string instead of "}"\." at character 2: id}$/);
  });

  test("messages endpoint, user_id, /me and unknown objects", async () => {
    const thread = mock.inbox.threads.find((t) => t.platform === "instagram" && t.messages.length > 20);
    const messages = await get(`/${V}/${thread.id}/messages?limit=100`);
    assert.equal(messages.body.data.length, 20, "Instagram serves only the 20 newest messages");
    assert.equal(messages.body.data[0].id, thread.messages[0].id);
    const byUser = await get(`/${V}/me/conversations?user_id=${thread.person.id}&fields=participants`);
    assert.deepEqual(byUser.body.data.map((c) => c.id), [thread.id]);
    const missing = await get(`/${V}/1234567/conversations`);
    assert.equal(missing.body.error.error_subcode, 33);
    const version = await get(`/v25/${MOCK_PAGE_ID}/conversations`);
    assert.equal(version.body.error.code, 2500);
    const folder = await get(`${inboxPath}?folder=archive`);
    assert.equal(folder.body.error.code, 100);
  });
});

describe("credentials", () => {
  const proof = (msg) => createHmac("sha256", MOCK_APP_SECRET).update(msg).digest("hex");

  test("token placement and checks", async () => {
    const none = await get(inboxPath, { token: null });
    assert.equal(none.body.error.code, 104);
    const header = await get(`${inboxPath}?limit=1`, { token: null, headers: { Authorization: `Bearer ${MOCK_TOKEN}` }, prefix: "/_/id=hdr" });
    assert.equal(header.res.status, 200);
    assert.match(header.body.paging.next, /access_token=/);
    const both = await get(inboxPath, { headers: { Authorization: `Bearer ${MOCK_TOKEN}` } });
    assert.equal(both.body.error.code, 210);
    const [entry] = mock.log("hdr");
    assert.equal(entry.tokenIn, "header");
    assert.equal(entry.tokenOk, true);
    assert.ok(entry.headers.includes("authorization"));
    assert.ok(!JSON.stringify(mock.log("")).includes(MOCK_TOKEN), "the log never holds the token");
  });

  test("appsecret_proof, timed proof, requireproof", async () => {
    const good = await get(`${inboxPath}?appsecret_proof=${proof(MOCK_TOKEN)}&limit=1`);
    assert.equal(good.res.status, 200);
    assert.match(good.body.paging.next, /appsecret_proof=/);
    const bad = await get(`${inboxPath}?appsecret_proof=${"0".repeat(64)}`);
    assert.equal(bad.body.error.type, "GraphMethodException");
    const t = Math.floor(Date.now() / 1000);
    const timed = await get(`${inboxPath}?appsecret_proof=${proof(`${MOCK_TOKEN}|${t}`)}&appsecret_time=${t}`);
    assert.equal(timed.res.status, 200);
    const stale = await get(`${inboxPath}?appsecret_proof=${proof(`${MOCK_TOKEN}|${t - 900}`)}&appsecret_time=${t - 900}`);
    assert.match(stale.body.error.message, /appsecret_time/);
    const required = await get(inboxPath, { prefix: "/_/requireproof=1" });
    assert.match(required.body.error.message, /require an appsecret_proof/);
  });
});

describe("scenarios", () => {
  test("error with times/after window, usage headers, expose", async () => {
    const prefix = "/_/id=win;after=1;times=1;error=190.463;usage=app,page;eta=3;expose=1";
    const statuses = [];
    for (let n = 0; n < 3; n += 1) statuses.push((await get(`${inboxPath}?limit=1`, { prefix })).res.status);
    assert.deepEqual(statuses, [200, 400, 200]);
    const { res, body } = await get(inboxPath, { prefix: "/_/id=win2;error=190.463;usage=app,page;eta=3;expose=1" });
    assert.equal(body.error.error_subcode, 463);
    assert.ok(body.error.error_user_title && body.error.fbtrace_id);
    assert.equal(body.error.is_transient, false);
    assert.equal(JSON.parse(res.headers.get("x-business-use-case-usage"))[MOCK_PAGE_ID][0].estimated_time_to_regain_access, 3);
    assert.ok(JSON.parse(res.headers.get("x-app-usage")).call_count);
    assert.match(res.headers.get("access-control-expose-headers"), /X-Page-Usage/);
    const transient = await get(inboxPath, { prefix: "/_/error=2" });
    assert.deepEqual([transient.res.status, transient.body.error.is_transient], [500, true]);
    const env200 = await get(inboxPath, { prefix: "/_/error=4;env200=1" });
    assert.deepEqual([env200.res.status, env200.body.error.code], [200, 4]);
    assert.equal(mock.log("win").filter((e) => e.faulted).length, 1);
  });

  test("html, truncate, reset, echo", async () => {
    const html = await fetch(`${mock.url}/_/html=502/${V}/${MOCK_PAGE_ID}/conversations`);
    assert.equal(html.status, 502);
    assert.match(html.headers.get("content-type"), /text\/html/);
    await html.text();
    const truncated = await fetch(`${mock.url}/_/truncate=1/${V}/${MOCK_PAGE_ID}/conversations?access_token=x`);
    assert.equal(truncated.status, 200);
    await assert.rejects(truncated.json(), SyntaxError);
    const reset = await fetch(`${mock.url}/_/reset=1/${V}/${MOCK_PAGE_ID}/conversations?access_token=x`);
    await assert.rejects(reset.text());
    const echo = await get(inboxPath, { prefix: "/_/error=190;echo=1" });
    assert.equal(echo.body.error.message, `Malformed access token ${MOCK_TOKEN}`);
  });

  test("slow copes with a client that aborts", async () => {
    const started = Date.now();
    await assert.rejects(fetch(`${mock.url}/_/slow=5000/${V}/${MOCK_PAGE_ID}/conversations?access_token=x`, { signal: AbortSignal.timeout(100) }));
    assert.ok(Date.now() - started < 2000);
    const { res } = await get(`${inboxPath}?limit=1`, { prefix: "/_/slow=50" });
    assert.equal(res.status, 200);
  });

  test("CORS preflight, health and log endpoints", async () => {
    const pre = await fetch(`${mock.url}/_/id=pre/${V}/${MOCK_PAGE_ID}/conversations`, { method: "OPTIONS" });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get("access-control-allow-origin"), "*");
    assert.match(pre.headers.get("access-control-allow-headers"), /Authorization/);
    assert.deepEqual(await (await fetch(`${mock.url}/__mock/health`)).json(), { ok: true });
    const log = await (await fetch(`${mock.url}/__mock/log/pre`)).json();
    assert.deepEqual(log.map((e) => [e.method, e.path]), [["OPTIONS", `/${V}/${MOCK_PAGE_ID}/conversations`]]);
  });

  test("close() ends keep-alive connections promptly", async () => {
    const other = await startMockGraph({ conversations: 5, seed: 3 });
    await fetch(`${other.url}/__mock/health`).then((r) => r.text());
    const started = Date.now();
    await other.close();
    assert.ok(Date.now() - started < 1000);
    assert.ok(MOCK_IG_ACCOUNT_ID && other.igAccountId === MOCK_IG_ACCOUNT_ID);
  });
});

describe("random=SEED", () => {
  /** Follows `next` from `path` under `prefix`; returns every page's body. */
  async function walk(prefix, path) {
    const bodies = [(await get(path, { prefix })).body];
    while (bodies.at(-1).paging?.next) {
      assert.ok(bodies.length < 2000, "paging does not end");
      bodies.push((await follow(bodies.at(-1).paging.next)).body);
    }
    return bodies;
  }

  test("the world is deterministic per seed; forced sizes; unique ids, newest first", () => {
    assert.deepEqual(randomInbox(7), randomInbox(7));
    assert.notDeepEqual(randomInbox(7).conversations, randomInbox(8).conversations);
    for (const seed of [0, 1000, 42000]) assert.equal(randomInbox(seed).size, 0);
    for (const seed of [999, 1999]) assert.equal(randomInbox(seed).conversations.length, 1);
    const sizes = [];
    const styles = new Set();
    for (let seed = 1; seed <= 30; seed += 1) {
      const truth = randomInbox(seed);
      sizes.push(truth.size);
      styles.add(truth.style);
      assert.equal(new Set(truth.conversations.map((c) => c.id)).size, truth.size);
      const times = truth.conversations.map((c) => c.updatedMs);
      assert.deepEqual(times, [...times].sort((x, y) => y - x));
    }
    assert.ok(Math.max(...sizes) > 300 && Math.max(...sizes) <= 600 && Math.min(...sizes) < 10);
    assert.deepEqual([...styles].sort(), ["graph", "legacy", "mixed"]);
  });

  test("following next sees every conversation once, in order, as planned; random sizes and empty pages", async () => {
    // 5: Graph cursors with many empty pages; 16: legacy; 4: mixed.
    for (const [seed, limit] of [[5, 36], [16, 13], [4, 29], [0, 10], [999, 3]]) {
      const id = `rnd${seed}`;
      const bodies = await walk(`/_/id=${id};random=${seed}`, `${inboxPath}?limit=${limit}&fields=id,updated_time,snippet`);
      const truth = randomInbox(seed, { limit });
      assert.deepEqual(bodies.flatMap((b) => b.data.map((c) => c.id)), truth.conversations.map((c) => c.id), `seed ${seed}`);
      assert.deepEqual(bodies.map((b) => b.data.length), truth.pages.map((p) => p.count));
      let run = 0;
      bodies.forEach((body, n) => {
        assert.ok(body.data.length <= limit);
        run = body.data.length === 0 ? run + 1 : 0;
        assert.ok(run <= MAX_EMPTY_RUN);
        const last = n === bodies.length - 1;
        if (!last) assert.ok(body.paging.next, "only the last page lacks next");
        if (body.paging?.cursors) assert.ok(body.paging.cursors.after, "after is there, the last page too");
        if (truth.pages[n].style === "legacy") {
          assert.equal(body.paging?.cursors, undefined);
          if (!last) assert.ok(new URL(body.paging.next).searchParams.get("__paging_token"));
        }
        if (truth.pages[n].style === "graph") assert.ok(body.paging.cursors);
      });
      const log = mock.log(id);
      assert.deepEqual(log.map((e) => e.random.page), truth.pages.map((p) => p.page));
      assert.deepEqual(log.map((e) => e.random.seed), truth.pages.map(() => seed));
    }
    const five = randomInbox(5, { limit: 36 });
    assert.ok(five.pages.some((p) => p.empty) && five.pages.some((p) => !p.empty && p.count < 36 && p !== five.pages.at(-1)));
    assert.equal(new Set(randomInbox(4, { limit: 29 }).pages.map((p) => p.style)).size, 2, "mixed styles");
  });

  test("pages are a pure function of seed and cursor; the last after fails; before == after with one item", async () => {
    const prefix = "/_/random=5";
    const first = await get(`${inboxPath}?limit=1`, { prefix });
    const [a, b] = [await follow(first.body.paging.next), await follow(first.body.paging.next)];
    assert.deepEqual(a.body, b.body);
    const bodies = await walk(prefix, `${inboxPath}?limit=50`);
    const again = await walk(prefix, `${inboxPath}?limit=50`);
    assert.deepEqual(again, bodies);
    const last = bodies.at(-1);
    assert.equal(last.paging.next, undefined);
    const past = await get(`${inboxPath}?limit=50&after=${encodeURIComponent(last.paging.cursors.after)}`, { prefix });
    assert.equal(past.body.error.error_subcode, 2642);
    const otherSeed = await get(`${inboxPath}?limit=1&after=${encodeURIComponent(first.body.paging.cursors.after)}`, { prefix: "/_/random=6" });
    assert.equal(otherSeed.body.error.error_subcode, 2642);
    const ones = (await walk("/_/random=8", `${inboxPath}?limit=1`)).filter((body) => body.data.length === 1);
    assert.ok(ones.length === 64 && ones.every((body) => body.paging.cursors.before === body.paging.cursors.after));
  });

  test("HTTP truth, any Page id, overrides, messages and the nested edge", async () => {
    const http = await (await fetch(`${mock.url}/__mock/random/16?limit=13`)).json();
    assert.deepEqual(http, randomInbox(16, { limit: 13 }));
    const any = await get(`/${V}/123456789/conversations?limit=5`, { prefix: "/_/random=2" });
    assert.deepEqual(any.body.data.map((c) => c.id), randomInbox(2).conversations.slice(0, any.body.data.length).map((c) => c.id));
    assert.equal((await get(`/${V}/123456789/conversations`)).body.error.error_subcode, 33, "only in random mode");

    const forced = await walk("/_/random=2;style=legacy;size=40;emptyrate=50", `${inboxPath}?limit=7`);
    assert.ok(forced.every((body) => body.paging?.cursors === undefined));
    assert.ok(forced.some((body) => body.data.length === 0));
    assert.deepEqual(forced.flatMap((body) => body.data.map((c) => c.id)),
      randomInbox(2, { size: 40, style: "legacy", emptyRate: 0.5 }).conversations.map((c) => c.id));

    const thread = randomInbox(14).conversations.find((c) => c.message_count > 30);
    const truth = randomMessages(14, thread.id, { limit: 4 });
    const pages = await walk("/_/id=rndmsg;random=14", `/${V}/${thread.id}/messages?limit=4`);
    assert.deepEqual(pages.flatMap((body) => body.data.map((m) => m.id)), truth.messages.map((m) => m.id));
    assert.equal(pages.length, truth.pages.length);
    const viaHttp = await (await fetch(`${mock.url}/__mock/random/14/${encodeURIComponent(thread.id)}`)).json();
    assert.deepEqual(viaHttp.messages, truth.messages);

    const nested = await get(`${inboxPath}?limit=1&fields=${encodeURIComponent("messages.limit(2){id}")}`, { prefix: "/_/random=14" });
    const edge = nested.body.data[0].messages;
    const rest = [...edge.data];
    for (let link = edge.paging.next; link;) {
      const { body } = await follow(link);
      rest.push(...body.data);
      link = body.paging?.next;
    }
    const expected = randomMessages(14, nested.body.data[0].id).messages.map((m) => m.id);
    assert.deepEqual(rest.map((m) => m.id), expected);
  });
});

describe("seeded faults (faults=SEED, authat=N)", () => {
  /** GETs `path` under `spec` up to `times` times (the same position), returning each `{status, body, fault}`. */
  async function attempts(spec, path, times) {
    const out = [];
    for (let n = 0; n < times; n += 1) {
      const url = `${mock.url}/_/${spec}${path}${path.includes("?") ? "&" : "?"}access_token=${MOCK_TOKEN}`;
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
        const text = await res.text();
        out.push({ status: res.status, text, headers: res.headers });
      } catch (err) {
        out.push({ status: "failed", error: err });
      }
    }
    return out;
  }

  test("a pure function of seed, position and attempt; at most faultmax in a row; logged with kind and attempt", async () => {
    const position = positionOf(`/${V}/${MOCK_PAGE_ID}/conversations`, new URLSearchParams("limit=5&access_token=x&appsecret_proof=y"));
    assert.equal(position, `/${V}/${MOCK_PAGE_ID}/conversations?limit=5`, "token and proof are not part of a position");
    const scenario = parseScenario("faults=7;faultrate=60;faultkinds=html,transient,ratelimit");
    const sequence = (sc, pos) => Array.from({ length: 40 }, (_, i) => seededFault(sc, pos, i + 1)?.kind ?? null);
    assert.deepEqual(sequence(scenario, position), sequence(scenario, position));
    assert.notDeepEqual(sequence(scenario, position), sequence(parseScenario("faults=8;faultrate=60"), position));
    for (const max of [2, 1, 5]) {
      const kinds = sequence(parseScenario(`faults=3;faultrate=100;faultmax=${max}`), position);
      assert.deepEqual(kinds.slice(0, max + 1).map(Boolean), [...Array(max).fill(true), false], `faultmax=${max}`);
    }
    assert.ok(sequence(parseScenario("faults=3;faultrate=0"), position).every((k) => k === null));
    assert.deepEqual(parseScenario("faults=1").faultKinds, DEFAULT_FAULT_KINDS);
    assert.ok(!DEFAULT_FAULT_KINDS.includes("truncate") && parseScenario("faults=1;faultkinds=all").faultKinds === FAULT_KINDS);

    // Over HTTP: 40 attempts at one position follow the pure function, and the log says so.
    const spec = "id=seeded;faults=7;faultrate=60;faultkinds=html,transient,ratelimit";
    const answers = await attempts(spec, `${inboxPath}?limit=5`, 40);
    const log = mock.log("seeded");
    const expected = sequence(scenario, position);
    assert.deepEqual(log.map((e) => e.fault), expected);
    assert.deepEqual(log.map((e) => e.attempt), expected.map((_, i) => i + 1));
    assert.ok(log.every((e) => e.position === position && e.positionIndex === 1 && e.faulted === (e.fault !== null)));
    answers.forEach((answer, i) => {
      const kind = expected[i];
      if (kind === null) assert.equal(answer.status, 200);
      if (kind === "html") assert.ok(answer.status >= 500 && /<html>/.test(answer.text));
      if (kind === "transient") assert.deepEqual([answer.status, JSON.parse(answer.text).error.code, JSON.parse(answer.text).error.is_transient], [500, 2, true]);
      if (kind === "ratelimit") assert.ok([80006, 613, 4].includes(JSON.parse(answer.text).error.code) && !answer.headers.has("x-business-use-case-usage"));
    });
    let run = 0;
    for (const kind of expected) {
      run = kind ? run + 1 : 0;
      assert.ok(run <= 2);
    }
  });

  test("every kind as described: truncate, reset, slow, ratelimit-usage with its eta, faulteta", async () => {
    // faultrate=100 and faultmax=1: every position's first attempt is faulted, the second is not.
    const one = async (kinds, extra = "") => {
      const id = `kind-${kinds}-${extra.replace(/\W/g, "")}`;
      const started = Date.now();
      const [first, second] = await attempts(`id=${id};faults=11;faultrate=100;faultmax=1;faultkinds=${kinds}${extra}`, `${inboxPath}?limit=2`, 2);
      return { first, second, log: mock.log(id), elapsed: Date.now() - started };
    };
    const truncated = await one("truncate");
    assert.equal(truncated.first.status, 200);
    assert.throws(() => JSON.parse(truncated.first.text), SyntaxError);
    assert.equal(JSON.parse(truncated.second.text).data.length, 2);
    const reset = await one("reset");
    assert.equal(reset.first.status, "failed");
    assert.equal(reset.second.status, 200);
    const slow = await one("slow", ";faultslow=300");
    assert.ok(slow.elapsed >= 300 && slow.first.status === 200, "slow answers late, but answers");
    assert.deepEqual(slow.log[0].faultInfo, { kind: "slow", slowMs: 300 });
    const usage = await one("ratelimit-usage");
    const buc = JSON.parse(usage.first.headers.get("x-business-use-case-usage"));
    assert.ok([0, 0.005, 0.01].includes(buc[MOCK_PAGE_ID][0].estimated_time_to_regain_access));
    assert.equal(buc[MOCK_PAGE_ID][0].estimated_time_to_regain_access, usage.log[0].faultInfo.eta);
    assert.ok(JSON.parse(usage.first.headers.get("x-app-usage")).call_count >= 100);
    const long = await one("ratelimit-usage", ";faulteta=2");
    assert.equal(JSON.parse(long.first.headers.get("x-business-use-case-usage"))[MOCK_PAGE_ID][0].estimated_time_to_regain_access, 2);
  });

  test("authat=N: error 190 at the run's N-th position, every attempt; faults combine with random worlds", async () => {
    const spec = "id=authat;authat=3";
    let body = (await get(`${inboxPath}?limit=4`, { prefix: `/_/${spec}` })).body;
    body = (await follow(body.paging.next)).body;
    const third = await follow(body.paging.next);
    assert.deepEqual([third.res.status, third.body.error.code, third.body.error.error_subcode], [400, 190, 463]);
    const again = await follow(body.paging.next);
    assert.equal(again.body.error.code, 190);
    assert.deepEqual(mock.log("authat").map((e) => [e.positionIndex, e.attempt, e.fault]), [[1, 1, null], [2, 1, null], [3, 1, "auth"], [3, 2, "auth"]]);

    // A random world under faults: retrying each page until it answers gives the whole world.
    const seen = [];
    let link = `${mock.url}/_/id=rf;random=5;faults=5;faultrate=50;faultkinds=html,transient,ratelimit/${V}/${MOCK_PAGE_ID}/conversations?limit=40&access_token=x`;
    for (let guard = 0; link && guard < 500; guard += 1) {
      const res = await fetch(link);
      if (res.status !== 200) { await res.text(); continue; }
      const page = await res.json();
      seen.push(...page.data.map((c) => c.id));
      link = page.paging?.next;
    }
    assert.deepEqual(seen, randomInbox(5).conversations.map((c) => c.id));
    assert.ok(mock.log("rf").some((e) => e.fault) && mock.log("rf").every((e) => e.attempt <= 3));
  });

  test("fractional eta, proofcheck=0, echo=all, size up to 20000", async () => {
    const eta = await get(inboxPath, { prefix: "/_/error=4;eta=0.01" });
    assert.equal(JSON.parse(eta.res.headers.get("x-business-use-case-usage"))[MOCK_PAGE_ID][0].estimated_time_to_regain_access, 0.01);
    const anyProof = await get(`${inboxPath}?limit=1&appsecret_proof=${"0".repeat(64)}`, { prefix: "/_/proofcheck=0" });
    assert.equal(anyProof.res.status, 200);
    const echoed = await get(inboxPath, { prefix: "/_/error=10;echo=all" });
    for (const field of ["message", "error_user_title", "error_user_msg"]) assert.ok(echoed.body.error[field].includes(MOCK_TOKEN), field);
    assert.match(echoed.body.error.message, /access_token=EAAMockPageToken/);
    const html = await fetch(`${mock.url}/_/html=502;echo=all/${V}/${MOCK_PAGE_ID}/conversations?access_token=${MOCK_TOKEN}`);
    assert.ok((await html.text()).includes(`access_token=${MOCK_TOKEN}`));
    assert.equal(randomInbox(3, { size: 20000 }).size, 20000);
    assert.equal(randomInbox(3, { size: parseScenario("random=3;size=99999").random.size }).size, 20000);
  });
});

describe("GRAPH.md: preflight, nested people edges, rate, versions, several BUC entries", () => {
  test("preflight=400: OPTIONS gets 400 with a JSON error and no CORS header; GETs are unaffected; the default stays 204", async () => {
    const path = `/_/id=pre400;preflight=400/${V}/${MOCK_PAGE_ID}/conversations`;
    const pre = await fetch(`${mock.url}${path}`, {
      method: "OPTIONS",
      headers: { Origin: "http://127.0.0.1:1", "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization" },
    });
    assert.equal(pre.status, 400);
    assert.equal((await pre.json()).error.code, 190);
    assert.match(pre.headers.get("content-type"), /application\/json/);
    assert.deepEqual([...pre.headers.keys()].filter((k) => k.startsWith("access-control-")), []);
    const { res } = await get(`${inboxPath}?limit=1`, { prefix: "/_/id=pre400;preflight=400" });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("access-control-allow-origin"), "*");
    assert.deepEqual(mock.log("pre400").map((e) => [e.method, e.status]), [["OPTIONS", 400], ["GET", 200]]);
    const healthy = await fetch(`${mock.url}/_/id=pre204/${V}/${MOCK_PAGE_ID}/conversations`, { method: "OPTIONS" });
    assert.equal(healthy.status, 204);
  });

  test("nested participants/senders carry {data, paging}: cursors always, a token-bearing next past .limit(n), followable", async () => {
    const thread = expectedInbox("messenger")[0];
    const plain = await get(`${inboxPath}?limit=1&fields=participants,senders`);
    const conversation = plain.body.data[0];
    assert.equal(conversation.id, thread.id);
    assert.deepEqual(conversation.participants, thread.fields.participants, "stored fields are what Graph returns");
    assert.equal(conversation.participants.data.length, 2);
    assert.ok(conversation.participants.paging.cursors.before && conversation.participants.paging.cursors.after);
    assert.equal(conversation.participants.paging.next, undefined, "2 people, default nested limit 25: no next");
    assert.ok(conversation.senders.data.length >= 1 && conversation.senders.paging.cursors);

    const proof = createHmac("sha256", MOCK_APP_SECRET).update(MOCK_TOKEN).digest("hex");
    const fields = "participants.limit(1){id,name}";
    const limited = await get(`${inboxPath}?limit=1&appsecret_proof=${proof}&fields=${encodeURIComponent(fields)}`);
    const edge = limited.body.data[0].participants;
    assert.deepEqual(edge.data, [{ id: thread.person.id, name: thread.person.name }]);
    assert.equal(edge.paging.cursors.before, edge.paging.cursors.after, "limit 1: before == after");
    const next = new URL(edge.paging.next);
    assert.equal(next.pathname, `/${V}/${thread.id}/participants`);
    assert.equal(next.searchParams.get("access_token"), MOCK_TOKEN, "the nested link embeds the token");
    assert.deepEqual(
      [next.searchParams.get("appsecret_proof"), next.searchParams.get("fields"), next.searchParams.get("limit"), next.searchParams.get("after")],
      [proof, "id,name", "1", edge.paging.cursors.after],
    );
    const page2 = await follow(edge.paging.next);
    assert.deepEqual(page2.body.data, [{ id: MOCK_PAGE_ID, name: thread.fields.participants.data[1].name }]);
    assert.ok(page2.body.paging.previous && !page2.body.paging.next);
    const past = await get(`/${V}/${thread.id}/participants?after=${encodeURIComponent(page2.body.paging.cursors.after)}`);
    assert.equal(past.body.error.error_subcode, 2642);
    const unknown = await get(`/${V}/t_1/participants`);
    assert.equal(unknown.body.error.error_subcode, 33);
  });

  test("ratelimit=2: a third request for a Page within a sliding second gets 613; other Pages and later requests pass", async () => {
    const prefix = "/_/id=rate;ratelimit=2";
    const statuses = [];
    for (let n = 0; n < 3; n += 1) statuses.push((await get(`${inboxPath}?limit=1`, { prefix })));
    assert.deepEqual(statuses.map((s) => s.res.status), [200, 200, 400]);
    const { error } = statuses[2].body;
    assert.deepEqual([error.code, error.type, error.message], [613, "OAuthException", "(#613) Calls to this api have exceeded the rate limit."]);
    const instagram = await get(`/${V}/${MOCK_IG_ACCOUNT_ID}/conversations?limit=1`, { prefix });
    assert.equal(instagram.res.status, 200, "counted per Page");
    const thread = expectedInbox("messenger")[0];
    const messages = await get(`/${V}/${thread.id}/messages?limit=1`, { prefix });
    assert.equal(messages.body.error?.code, 613, "a thread's messages count for its Page");
    assert.deepEqual(mock.log("rate").map((e) => Boolean(e.rateLimited)), [false, false, true, false, true]);
    await new Promise((resolve) => { setTimeout(resolve, 1050); });
    assert.equal((await get(`${inboxPath}?limit=1`, { prefix })).res.status, 200, "the window slides");
    assert.equal((await get(`${inboxPath}?limit=1`, { prefix: "/_/id=rate-off" })).res.status, 200);
  });

  test("an expired version is served as the oldest live one; facebook-api-version on every answer", async () => {
    for (const [asked, served] of [["v19.0", "v20.0"], ["v2.12", "v20.0"], ["v20.0", "v20.0"], ["v21.0", "v21.0"], [V, V]]) {
      const { res, body } = await get(`/${asked}/${MOCK_PAGE_ID}/conversations?limit=2`, { prefix: `/_/id=ver-${asked}` });
      assert.equal(res.status, 200, asked);
      assert.equal(body.data.length, 2);
      assert.equal(res.headers.get("facebook-api-version"), served, asked);
      assert.equal(mock.log(`ver-${asked}`)[0].servedVersion, served);
    }
    const error = await get(`/v19.0/${MOCK_PAGE_ID}/conversations`, { prefix: "/_/error=190" });
    assert.equal(error.res.headers.get("facebook-api-version"), "v20.0");
    const html = await fetch(`${mock.url}/_/html=502/${V}/${MOCK_PAGE_ID}/conversations`);
    await html.text();
    assert.equal(html.headers.get("facebook-api-version"), V);
    const pre = await fetch(`${mock.url}/v18.0/${MOCK_PAGE_ID}/conversations`, { method: "OPTIONS" });
    assert.equal(pre.headers.get("facebook-api-version"), "v20.0");
    const unversioned = await get(`/${MOCK_PAGE_ID}/conversations`);
    assert.equal(unversioned.res.headers.get("facebook-api-version"), V);
  });

  test("eta=LIST: one BUC entry per value, over the Page and its Instagram account", async () => {
    const { res } = await get(inboxPath, { prefix: "/_/error=613;eta=0.5,2,1.5" });
    const buc = JSON.parse(res.headers.get("x-business-use-case-usage"));
    assert.deepEqual(Object.keys(buc), [MOCK_PAGE_ID, MOCK_IG_ACCOUNT_ID]);
    assert.deepEqual(buc[MOCK_PAGE_ID].map((e) => [e.type, e.estimated_time_to_regain_access]), [["messenger", 0.5], ["pages", 2]]);
    assert.deepEqual(buc[MOCK_IG_ACCOUNT_ID].map((e) => [e.type, e.estimated_time_to_regain_access]), [["instagram", 1.5]]);
  });
});
