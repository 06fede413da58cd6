/**
 * The randomized world of the `random=SEED` scenario: a seeded random inbox (0 to 600
 * conversations) served with a random page-size pattern, random empty pages and a per-seed
 * cursor style, to property-test clients that follow `next` links.
 *
 * Everything is a pure function of the seed (plus `size` / `style` / `emptyrate` overrides), the
 * request's `limit` and the cursor it continues from: nothing depends on the order or number of
 * requests, so a client that follows `next` links sees every conversation exactly once, in order,
 * and the same walk can be computed here without a server (`randomPlan`).
 *
 * A random cursor is standard base64 of `{"r": seed, "l": listing, "n": page number, "i": index,
 * "k": id-at-index, "e": empty pages in a row}`. `cursors.before` is the first item's cursor and
 * `cursors.after` the last item's (so on a one-item page they are equal); an empty page's
 * `after` stands for the item before its position (`i = -1`, `k = ""` at the start). `after=C`
 * serves page `n + 1` from item `i + 1`. A legacy paging token is `enc_` + such a cursor.
 */

import { MOCK_PAGE_ID } from "./constants.mjs";
import { graphError, invalidCursor } from "./errors.mjs";
import { INBOX_ANCHOR_MS, graphTime, mulberry32 } from "./inbox.mjs";

/** The largest random inbox a seed draws (a `size=N` override may go up to MAX_RANDOM_SIZE). */
export const MAX_RANDOM_CONVERSATIONS = 600;

/** The largest `size=N` override of a random world. */
export const MAX_RANDOM_SIZE = 20000;

/** Never more than this many empty pages in a row (clients give up after 10). */
export const MAX_EMPTY_RUN = 8;

/** The cursor styles: Graph cursors, legacy `__paging_token` links only, or chosen page by page. */
export const RANDOM_STYLES = ["graph", "legacy", "mixed"];

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const IG_THREAD_PREFIX = "aWdfZAG06MTpJR01lc3NhZA2VUaHJlYWQ6";
const SNIPPETS = ["Hi! Are you open on Sunday? ☀️", "Merci beaucoup ! 🥐", "Order #4821?", "👍", "ok",
  "Can I change my order? 🙏", "Thanks!! ❤️", "Address:\n12 Rue de la Paix", "She said \"wow\" \\o/"];

/** 32-bit FNV-1a of the parts joined by ":", finished with a murmur3-style mix. */
export function hash32(...parts) {
  let h = 0x811c9dc5;
  for (const char of parts.join(":")) {
    h ^= char.codePointAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** A PRNG for `parts` with convenience draws. */
function rng(...parts) {
  const next = mulberry32(hash32(...parts));
  const int = (min, max) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: (list) => list[int(0, list.length - 1)],
    digits: (n) => String(int(1, 9)) + Array.from({ length: n - 1 }, () => int(0, 9)).join(""),
    token: (n) => Array.from({ length: n }, () => ID_ALPHABET[int(0, 63)]).join(""),
  };
}

/**
 * The inbox size of a seed: seeds ending in 000 (0, 1000, 2000, …) have none, seeds ending in
 * 999 (999, 1999, …) exactly one; others draw 0-8 (15%), 9-120 (30%) or 121-600 (55%).
 */
export function randomSize(seed) {
  if (seed % 1000 === 0) return 0;
  if (seed % 1000 === 999) return 1;
  const r = rng("size", seed);
  const band = r.next();
  if (band < 0.15) return r.int(0, 8);
  if (band < 0.45) return r.int(9, 120);
  return r.int(121, MAX_RANDOM_CONVERSATIONS);
}

/** The cursor style of a seed: graph 40%, legacy 30%, mixed 30%. */
export function randomStyle(seed) {
  const x = rng("style", seed).next();
  return x < 0.4 ? "graph" : x < 0.7 ? "legacy" : "mixed";
}

/** The chance of an empty page (with a next) of a seed: 0, 5%, 25% or 60%. */
export function randomEmptyRate(seed) {
  return rng("empty", seed).pick([0, 0, 0.05, 0.05, 0.25, 0.25, 0.6]);
}

const worlds = new Map();

/**
 * The random world of `seed` (cached): `{seed, size, style, emptyRate, threads, byId}`, threads
 * newest `updated_time` first: `{id, index, updatedMs, fields, readable}` (`readable`: its
 * messages, newest first, generated on first use).
 * @param {number} seed
 * @param {{size?: number, style?: string, emptyRate?: number}} [overrides]
 */
export function randomWorld(seed, overrides = {}) {
  const size = overrides.size ?? randomSize(seed);
  const style = overrides.style ?? randomStyle(seed);
  const emptyRate = overrides.emptyRate ?? randomEmptyRate(seed);
  const key = `${seed}/${size}/${style}/${emptyRate}`;
  if (worlds.has(key)) return worlds.get(key);

  const r = rng("inbox", seed);
  const seen = new Set();
  const threads = [];
  let updatedMs = INBOX_ANCHOR_MS - r.int(0, 3 * 86400) * 1000;
  for (let index = 0; index < size; index += 1) {
    // Whole seconds, as Graph gives them; equal times happen now and then.
    if (index > 0) updatedMs -= (r.chance(0.05) ? 0 : r.int(1, 8 * 3600)) * 1000;
    let number;
    do number = r.digits(15); while (seen.has(number));
    seen.add(number);
    const id = r.chance(0.7)
      ? `t_${number}`
      : IG_THREAD_PREFIX + Buffer.from(`17841400000000001:${number}`).toString("base64url");
    const messageCount = r.int(1, 60);
    const unread = r.chance(0.3) ? r.int(1, Math.min(5, messageCount)) : 0;
    const fields = {
      id,
      updated_time: graphTime(updatedMs),
      link: `/${MOCK_PAGE_ID}/inbox/${number}/`,
      snippet: r.pick(SNIPPETS),
      message_count: messageCount,
      ...(unread > 0 ? { unread_count: unread } : {}),
      can_reply: !r.chance(0.05),
      is_subscribed: true,
      folder: "inbox",
    };
    threads.push(makeThread({ seed, index, id, updatedMs, messageCount, fields }));
  }
  const world = { seed, size, style, emptyRate, threads, byId: new Map(threads.map((t) => [t.id, t])) };
  if (worlds.size >= 64) worlds.delete(worlds.keys().next().value);
  worlds.set(key, world);
  return world;
}

/** A random thread whose messages are made on first use. */
function makeThread({ seed, index, id, updatedMs, messageCount, fields }) {
  let readable = null;
  return {
    id, index, updatedMs, fields,
    get readable() {
      readable ??= makeMessages(seed, index, updatedMs, messageCount);
      return readable;
    },
  };
}

/** A thread's messages, newest first, the newest at the thread's `updated_time`. */
function makeMessages(seed, index, updatedMs, count) {
  const r = rng("messages", seed, index);
  const messages = [];
  let createdMs = updatedMs;
  for (let n = 0; n < count; n += 1) {
    if (n > 0) createdMs -= r.int(1, 3600) * 1000;
    // Unique by construction: seed, thread and position are in the id.
    const id = `m_${Buffer.from(`${seed}.${index}.${n}`).toString("base64url")}${r.token(20)}`;
    const fromPerson = r.chance(0.55);
    const from = fromPerson ? { id: `2${String(hash32("person", seed, index)).padStart(15, "0")}`, name: "Random Person" } : { id: MOCK_PAGE_ID, name: "Café Sample 🥐" };
    messages.push({
      id,
      createdMs,
      fields: { id, created_time: graphTime(createdMs), message: r.pick(SNIPPETS), from },
    });
  }
  return messages;
}

/** The listing key of a world's conversations, or of a thread's messages. */
export function listingKey(thread) {
  return thread ? `m${thread.index}` : "c";
}

/**
 * What page `n` of a listing is, when it starts at item `start` after `emptyRun` empty pages in
 * a row: `{empty, count, style}` (`count` items; 0 when empty).
 */
export function planPage(world, listing, total, { n, start, emptyRun, limit }) {
  const r = rng("page", world.seed, listing, n);
  const emptyDraw = r.next();
  const sizeDraw = r.next();
  const styleDraw = r.next();
  const style = world.style === "mixed" ? (styleDraw < 0.5 ? "graph" : "legacy") : world.style;
  if (emptyRun < MAX_EMPTY_RUN && emptyDraw < world.emptyRate) return { empty: true, count: 0, style };
  const size = 1 + Math.floor(sizeDraw * limit);
  return { empty: false, count: Math.min(size, total - start), style };
}

/**
 * The pages a client following `next` from the first page sees: `[{page, start, count, empty,
 * style}]` (one entry per request; an empty listing is one page of nothing).
 * @param {object} world from randomWorld
 * @param {number} limit the request's `limit` (clamped to 1..100 as the server does)
 * @param {object} [thread] a thread of the world: its messages instead of the conversations
 */
export function randomPlan(world, limit, thread) {
  const items = thread ? thread.readable : world.threads;
  const listing = listingKey(thread);
  const clamped = Math.min(100, Math.max(1, limit));
  if (items.length === 0) return [{ page: 1, start: 0, count: 0, empty: true, style: null }];
  const pages = [];
  let start = 0;
  let emptyRun = 0;
  for (let n = 1; ; n += 1) {
    const plan = planPage(world, listing, items.length, { n, start, emptyRun, limit: clamped });
    pages.push({ page: n, start, ...plan });
    if (plan.empty) {
      emptyRun += 1;
      continue;
    }
    emptyRun = 0;
    start += plan.count;
    if (start >= items.length) return pages;
  }
}

function encodeRandomCursor(world, listing, items, { n, i, e }) {
  const k = i >= 0 && i < items.length ? items[i].id : "";
  return Buffer.from(JSON.stringify({ r: world.seed, l: listing, n, i, k, e })).toString("base64");
}

/** Reads a cursor: a random one of this listing, `{standard: true}` for another shape, or throws 2642. */
function decodeRandomCursor(world, listing, items, cursor) {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(cursor)) throw invalidCursor();
  let payload;
  try { payload = JSON.parse(Buffer.from(cursor, "base64").toString("utf8")); } catch { throw invalidCursor(); }
  if (payload === null || typeof payload !== "object") throw invalidCursor();
  if (!("r" in payload)) return { standard: true };
  const { r, l, n, i, k, e } = payload;
  const valid = r === world.seed && l === listing && Number.isInteger(n) && n >= 1
    && Number.isInteger(i) && i >= -1 && i < items.length && k === (i >= 0 ? items[i].id : "")
    && Number.isInteger(e) && e >= 0 && e <= MAX_EMPTY_RUN;
  if (!valid) throw invalidCursor();
  return { n, i, e };
}

/**
 * Serves one page of a random listing.
 * @param {object} o
 * @param {object} o.world from randomWorld
 * @param {object} [o.thread] the thread whose messages are listed (else the conversations)
 * @param {URLSearchParams} o.query
 * @param {number} o.limit the effective limit
 * @param {(item: object) => object} o.project
 * @param {(item: object) => number} o.timeOf
 * @param {(params: [string, string][]) => string} o.link
 * @param {() => object} o.standard serves the request with standard paging (a cursor of the
 *   nested `messages` edge, which is not random)
 * @returns {{body: object, info: object}} the JSON body, and what was served (for the log)
 */
export function randomPage({ world, thread, query, limit, project, timeOf, link, standard }) {
  const items = thread ? thread.readable : world.threads;
  const listing = listingKey(thread);
  const seconds = (i) => {
    const item = items[Math.min(Math.max(i, 0), items.length - 1)];
    return String(Math.floor((item ? timeOf(item) : Date.now()) / 1000));
  };
  const info = (extra) => ({ seed: world.seed, listing, ...extra });

  // Where the request starts: page n at item `start` after `e` empty pages, or a `before` range.
  let n = 1;
  let start = 0;
  let e = 0;
  let backTo = null;
  const token = query.get("__paging_token");
  const after = query.get("after");
  const before = query.get("before");
  let cursor = null;
  let backwards = false;
  if (token !== null) {
    if (!token.startsWith("enc_")) throw invalidCursor();
    cursor = token.slice(4);
    backwards = query.get("__previous") === "1";
  } else if (after !== null && before !== null) {
    throw graphError(100, "(#100) Only one of the parameters after and before may be given");
  } else if (after !== null || before !== null) {
    cursor = after ?? before;
    backwards = before !== null;
  }
  if (cursor !== null) {
    const decoded = decodeRandomCursor(world, listing, items, cursor);
    if (decoded.standard) return { body: standard(), info: info({ standard: true }) };
    if (backwards) {
      backTo = Math.max(0, decoded.i);
      n = Math.max(1, decoded.n - 1);
    } else {
      // Continuing from the last item's `after` cursor is what Graph rejects.
      if (decoded.i + 1 >= items.length) throw invalidCursor();
      n = decoded.n + 1;
      start = decoded.i + 1;
      e = decoded.e;
    }
  }

  let count;
  let style;
  let empty = false;
  if (backTo !== null) {
    start = Math.max(0, backTo - limit);
    count = backTo - start;
    style = world.style === "legacy" ? "legacy" : "graph";
  } else if (items.length === 0) {
    count = 0;
  } else {
    ({ empty, count, style } = planPage(world, listing, items.length, { n, start, emptyRun: e, limit }));
  }
  if (count === 0 && !empty) return { body: { data: [] }, info: info({ page: n, start, count: 0, empty: true, style: null }) };

  const end = start + count;
  const runAfter = empty ? e + 1 : 0;
  const first = encodeRandomCursor(world, listing, items, { n, i: empty ? Math.min(start, items.length - 1) : start, e: runAfter });
  const last = encodeRandomCursor(world, listing, items, { n, i: empty ? start - 1 : end - 1, e: runAfter });
  const hasNext = empty || end < items.length;
  const hasPrevious = start > 0;
  const data = items.slice(start, end).map(project);
  const paging = {};
  if (style === "legacy") {
    if (hasPrevious) paging.previous = link([["since", seconds(start)], ["__paging_token", `enc_${first}`], ["__previous", "1"]]);
    if (hasNext) paging.next = link([["until", seconds(empty ? start - 1 : end - 1)], ["__paging_token", `enc_${last}`]]);
  } else {
    paging.cursors = { before: first, after: last };
    if (hasPrevious) paging.previous = link([["before", first]]);
    if (hasNext) paging.next = link([["after", last]]);
  }
  const body = Object.keys(paging).length ? { data, paging } : { data };
  return { body, info: info({ page: n, start, count, empty, style }) };
}

/** What `GET /__mock/random/{seed}` and `mock.randomInbox(seed)` return. */
export function randomTruth(world) {
  return {
    seed: world.seed,
    size: world.size,
    style: world.style,
    emptyRate: world.emptyRate,
    conversations: world.threads.map((t) => ({
      id: t.id, updated_time: t.fields.updated_time, updatedMs: t.updatedMs, message_count: t.fields.message_count,
    })),
  };
}
