/**
 * Paging as Graph really does it: opaque per-item cursors, `next` absent on the last page (while
 * `cursors.after` is still there), `previous` when items lie before, and the quirky variants a
 * scenario asks for (legacy `__paging_token` links, empty pages that still have `next`, cursors
 * that do not progress).
 *
 * A cursor is standard base64 of `{"i": index, "k": id-at-index}` (plus `"x": salt` for the fresh
 * cursors of empty pages). `after=C` serves the items after item `i`; `before=C` the items before
 * it; `i = -1` (with `k = ""`) stands for "before the first item". A legacy paging token is
 * `enc_` + such a cursor, read as `after` (or as `before` with `__previous=1`).
 */

import { graphError, invalidCursor } from "./errors.mjs";

/** The cursor of `items[i]` (or of the start, `i = -1`), salted when `salt` is given. */
export function encodeCursor(items, i, salt) {
  const payload = { i, k: i >= 0 && i < items.length ? items[i].id : "" };
  if (salt !== undefined) payload.x = salt;
  return Buffer.from(JSON.stringify(payload)).toString("base64");
}

/**
 * The index a cursor stands for, in `items`.
 * @throws GraphRequestError 100/2642 when it is not one of this listing's cursors.
 */
export function decodeCursor(items, cursor) {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(cursor)) throw invalidCursor();
  let payload;
  try { payload = JSON.parse(Buffer.from(cursor, "base64").toString("utf8")); } catch { throw invalidCursor(); }
  const { i, k } = payload ?? {};
  const valid = Number.isInteger(i) && i >= -1 && i < items.length
    && k === (i >= 0 ? items[i].id : "");
  if (!valid) throw invalidCursor();
  return i;
}

/** Where a request starts: `{start, end?, cursor}` from after/before/__paging_token. */
function position(items, query, limit) {
  const startAfter = (i) => {
    // Continuing from the last item's `after` cursor is what Graph rejects.
    if (i >= 0 && i + 1 >= items.length) throw invalidCursor();
    return i + 1;
  };
  const token = query.get("__paging_token");
  if (token !== null) {
    if (!token.startsWith("enc_")) throw invalidCursor();
    const i = decodeCursor(items, token.slice(4));
    if (query.get("__previous") === "1") return { start: Math.max(0, i - limit), end: Math.max(0, i), cursor: null };
    return { start: startAfter(i), cursor: token };
  }
  const after = query.get("after");
  const before = query.get("before");
  if (after !== null && before !== null) throw graphError(100, "(#100) Only one of the parameters after and before may be given");
  if (after !== null) return { start: startAfter(decodeCursor(items, after)), cursor: after };
  if (before !== null) {
    const i = decodeCursor(items, before);
    return { start: Math.max(0, i - limit), end: Math.max(0, i), cursor: null };
  }
  return { start: 0, cursor: null };
}

/**
 * Serves one page of a listing.
 * @param {object} o
 * @param {{id: string}[]} o.items the whole (filtered) listing, in order
 * @param {URLSearchParams} o.query where to continue from (after, before, __paging_token, __previous)
 * @param {number} o.limit page size
 * @param {(item: object) => object} o.project an item's JSON
 * @param {(item: object) => number} o.timeOf an item's time in ms (legacy `until`/`since`)
 * @param {(params: [string, string][]) => string} o.link absolute URL carrying these paging params
 * @param {{legacy?: boolean, repeat?: boolean, empty?: boolean, salt?: () => number}} [o.mode]
 * @returns {{data: object[], paging?: object}}
 */
export function pageOf({ items, query, limit, project, timeOf, link, mode = {} }) {
  const { start, end: requestedEnd, cursor } = position(items, query, limit);
  const seconds = (i) => {
    const item = items[Math.min(Math.max(i, 0), items.length - 1)];
    return String(Math.floor((item ? timeOf(item) : Date.now()) / 1000));
  };
  if (mode.empty) return emptyPage(items, start, { link, mode, seconds });
  const end = requestedEnd ?? Math.min(items.length, start + limit);
  if (start >= end) return { data: [] };

  const first = encodeCursor(items, start);
  const last = encodeCursor(items, end - 1);
  const data = items.slice(start, end).map(project);
  const hasNext = end < items.length;
  const hasPrevious = start > 0;
  if (mode.legacy) {
    const token = mode.repeat ? (cursor ?? `enc_${encodeCursor(items, -1)}`) : `enc_${last}`;
    const paging = {};
    if (hasPrevious) paging.previous = link([["since", seconds(start)], ["__paging_token", `enc_${first}`], ["__previous", "1"]]);
    if (hasNext) paging.next = link([["until", seconds(end - 1)], ["__paging_token", token]]);
    return Object.keys(paging).length ? { data, paging } : { data };
  }
  const after = mode.repeat ? (cursor ?? encodeCursor(items, -1)) : last;
  const paging = { cursors: { before: first, after } };
  if (hasPrevious) paging.previous = link([["before", first]]);
  if (hasNext) paging.next = link([["after", after]]);
  return { data, paging };
}

/** An empty page at position `p` whose `next` continues at `p`, with never-seen-before cursors. */
function emptyPage(items, p, { link, mode, seconds }) {
  const salt = mode.salt();
  const after = encodeCursor(items, p - 1, salt);
  const before = p < items.length ? encodeCursor(items, p, salt) : after;
  if (mode.legacy) {
    const paging = {};
    if (p > 0) paging.previous = link([["since", seconds(p)], ["__paging_token", `enc_${before}`], ["__previous", "1"]]);
    paging.next = link([["until", seconds(p - 1)], ["__paging_token", `enc_${after}`]]);
    return { data: [], paging };
  }
  const paging = { cursors: { before, after } };
  if (p > 0) paging.previous = link([["before", before]]);
  paging.next = link([["after", after]]);
  return { data: [], paging };
}
