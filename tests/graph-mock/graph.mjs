/**
 * The Graph endpoints the mock serves, once the token and proof are accepted:
 * `/{version}/{page-id | ig-account-id | me}/conversations`, `/{version}/{thread-id}/messages`,
 * and the people edges of a thread `/{version}/{thread-id}/participants` (`senders`,
 * `former_participants`), which the nested edges' `next` links point at.
 * Everything here returns the JSON body of a successful answer or throws a GraphRequestError.
 */

import { MOCK_IG_ACCOUNT_ID, MOCK_PAGE_ID } from "./constants.mjs";
import { graphError, unknownObject } from "./errors.mjs";
import { DEFAULT_FIELDS, checkFields, parseFields, pick, projectNode, serializeFields } from "./fields.mjs";
import { pageOf } from "./paging.mjs";
import { randomPage, randomWorld } from "./random.mjs";

const VERSION = /^v\d+\.\d+$/;
/** The conversation's nested people edges: `{data, paging}`, paged like `messages`. */
const PEOPLE_EDGES = new Set(["participants", "senders", "former_participants"]);
const FOLDERS = ["inbox", "other", "page_done", "spam"];
const PLATFORMS = ["messenger", "instagram"];
/** Each conversations node and the platform it lists when `platform` is not given. */
const VIEWS = new Map([[MOCK_PAGE_ID, "messenger"], [MOCK_IG_ACCOUNT_ID, "instagram"], ["me", "instagram"]]);
/** Query parameters not carried over into `next`/`previous` links (they are set afresh). */
const PAGING_PARAMS = new Set(["access_token", "after", "before", "__paging_token", "__previous", "until", "since", "limit"]);
const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 100;

/** Graph's answer for a path it does not know. */
function unknownPath(path) {
  return graphError(2500, `Unknown path components: ${path}`);
}

/** A page size clamped to 1..100 (Graph serves at most 100 here). */
function clampLimit(n) {
  return Math.min(MAX_LIMIT, Math.max(1, n));
}

/** The `limit` query parameter, defaulting to 25. */
function limitOf(query) {
  const raw = query.get("limit");
  if (raw === null) return DEFAULT_LIMIT;
  if (!/^-?\d+$/.test(raw.trim())) throw graphError(100, `(#100) The parameter limit must be an integer, got "${raw}"`);
  return clampLimit(Number(raw));
}

/**
 * Serves one Graph request.
 * @param {object} request
 * @param {{threads: object[], byId: Map<string, object>}} request.inbox
 * @param {string} request.baseUrl origin plus scenario prefix, for absolute paging links
 * @param {string} request.path the path without the scenario prefix
 * @param {URLSearchParams} request.query
 * @param {string} request.token the accepted access token (embedded in paging links)
 * @param {{legacy?: boolean, repeat?: boolean}} request.mode the scenario's paging quirks
 * @param {() => boolean} request.nextListingEmpty counts a listing and says whether it must be empty
 * @param {() => number} request.salt a fresh number for never-repeating cursors
 * @param {{seed: number, size?: number, style?: string, emptyRate?: number}} [request.random]
 *   the `random=SEED` scenario: listings serve that seed's random world instead of the inbox
 * @param {(info: object) => void} [request.note] told what a random listing page served (for the log)
 */
export function serveGraph(request) {
  let segments;
  try {
    segments = request.path.split("/").filter(Boolean).map(decodeURIComponent);
  } catch {
    throw unknownPath(request.path);
  }
  if (segments.length !== 3 || !VERSION.test(segments[0])) throw unknownPath(request.path);
  const [version, node, edge] = segments;
  if (edge === "conversations") return conversations(request, version, node);
  if (edge === "messages") return messages(request, version, node);
  if (PEOPLE_EDGES.has(edge)) return people(request, version, node, edge);
  throw unknownPath(request.path);
}

/**
 * The rate-limit key of a Graph path (`ratelimit=N`): the Page or Instagram account the
 * request is counted for. A conversations listing counts for its node (`me` is the Instagram
 * account); a thread's edges for the thread's Page or account (the thread id when unknown, as
 * in random worlds). Null for paths that are not Graph requests the mock serves.
 */
export function rateLimitKeyOf(path, inbox) {
  const segments = path.split("/").filter(Boolean);
  if (segments.length !== 3 || !VERSION.test(segments[0])) return null;
  const [, node, edge] = segments;
  if (edge === "conversations") return node === "me" ? MOCK_IG_ACCOUNT_ID : node;
  let id = node;
  try { id = decodeURIComponent(node); } catch { /* as sent */ }
  const thread = inbox.byId.get(id);
  if (!thread) return `thread:${id}`;
  return thread.platform === "instagram" ? MOCK_IG_ACCOUNT_ID : MOCK_PAGE_ID;
}

/** `/{node}/conversations`: the inbox, filtered by folder, platform and user. */
function conversations(request, version, node) {
  const { query } = request;
  // The random world is any Page's (or Instagram account's) inbox.
  if (!(VIEWS.has(node) || (request.random && /^\d+$/.test(node)))) throw unknownObject(node);
  const folder = query.get("folder");
  if (folder !== null && !FOLDERS.includes(folder)) {
    throw graphError(100, `(#100) folder must be one of the following values: ${FOLDERS.join(", ")}`);
  }
  const platform = (query.get("platform") ?? VIEWS.get(node) ?? "messenger").toLowerCase();
  if (!PLATFORMS.includes(platform)) {
    throw graphError(100, `(#100) platform must be one of the following values: ${PLATFORMS.join(", ")}`);
  }
  const userId = query.get("user_id");
  if (userId !== null && !/^\d+$/.test(userId)) throw graphError(100, "(#100) Param user_id must be a valid ID");
  const tree = parseFields(query.get("fields"));
  checkFields(tree, "UnifiedThread");
  const limit = limitOf(query);

  if (request.random) {
    // Filters are checked, then every folder and platform sees the same random inbox; its
    // conversations have no participants, so `user_id` finds nothing.
    if (userId !== null) return { data: [] };
    const world = randomWorld(request.random.seed, request.random);
    const nested = nestedEdges(request, version);
    return randomListing(request, {
      world, limit, path: `/${version}/${node}/conversations`,
      project: (thread) => projectNode(thread.fields, tree ?? DEFAULT_FIELDS.UnifiedThread, nested(thread)),
      timeOf: (thread) => thread.updatedMs,
    });
  }

  // With user_id the person's conversation is found in any folder, unless one is asked for.
  const items = request.inbox.threads.filter((t) => t.platform === platform && (userId === null
    ? t.folder === (folder ?? "inbox")
    : t.person.id === userId && (folder === null || t.folder === folder)));
  const nested = nestedEdges(request, version);
  return listing(request, {
    items, limit, path: `/${version}/${node}/conversations`,
    project: (thread) => projectNode(thread.fields, tree ?? DEFAULT_FIELDS.UnifiedThread, nested(thread)),
    timeOf: (thread) => thread.updatedMs,
  });
}

/** `/{thread-id}/messages`: a thread's messages, newest first. */
function messages(request, version, node) {
  const world = request.random ? randomWorld(request.random.seed, request.random) : null;
  const thread = (world ?? request.inbox).byId.get(node);
  if (!thread) throw unknownObject(node);
  const tree = parseFields(request.query.get("fields"));
  checkFields(tree, "Message");
  const options = {
    items: thread.readable, limit: limitOf(request.query), path: `/${version}/${thread.id}/messages`,
    project: (message) => projectNode(message.fields, tree ?? DEFAULT_FIELDS.Message),
    timeOf: (message) => message.createdMs,
  };
  return world ? randomListing(request, { ...options, world, thread }) : listing(request, options);
}

/** A top-level listing page, with the scenario's paging quirks and links carrying the request's parameters. */
function listing(request, { items, limit, path, project, timeOf }) {
  const carried = [...request.query].filter(([key]) => !PAGING_PARAMS.has(key));
  carried.push(["limit", String(limit)]);
  return pageOf({
    items, query: request.query, limit, project, timeOf,
    link: linker(request, path, carried),
    mode: { ...request.mode, empty: request.nextListingEmpty(), salt: request.salt },
  });
}

/**
 * A top-level listing of the random world: random page sizes, empty pages and cursor style
 * (see random.mjs); the other paging scenario keys do not apply. A cursor of a nested
 * `messages` edge (standard paging) continues with standard paging.
 */
function randomListing(request, { world, thread, limit, path, project, timeOf }) {
  const carried = [...request.query].filter(([key]) => !PAGING_PARAMS.has(key));
  carried.push(["limit", String(limit)]);
  const link = linker(request, path, carried);
  const { body, info } = randomPage({
    world, thread, query: request.query, limit, project, timeOf, link,
    standard: () => pageOf({ items: thread ? thread.readable : world.threads, query: request.query, limit, project, timeOf, link }),
  });
  request.note?.(info);
  return body;
}

/** A conversation's nested edges (`messages` and the people edges), by field; undefined for plain fields. */
function nestedEdges(request, version) {
  return (thread) => (field) => {
    if (field.name === "messages") return messagesEdge(request, version, thread, field);
    if (PEOPLE_EDGES.has(field.name)) return peopleEdge(request, version, thread, field);
    return undefined;
  };
}

/** Query parameters a nested edge's links carry: the request's proof, the sub-fields, the limit. */
function nestedCarried(request, children, limit) {
  const carried = ["appsecret_proof", "appsecret_time"]
    .filter((key) => request.query.has(key))
    .map((key) => [key, request.query.get(key)]);
  if (children) carried.push(["fields", serializeFields(children)]);
  carried.push(["limit", String(limit)]);
  return carried;
}

/**
 * A people edge nested in a conversation (`participants`, `senders`, `former_participants`):
 * `{data, paging: {cursors, previous?, next?}}` like the nested `messages` edge, `next` (with
 * the token) only when the thread has more people than `.limit(n)` (default 25); undefined when
 * the thread has no such edge (it is then left out, as Graph does).
 */
function peopleEdge(request, version, thread, field) {
  const stored = thread.fields[field.name];
  if (!stored) return undefined;
  const children = field.children?.length ? field.children : null;
  const limit = clampLimit(field.limit ?? DEFAULT_LIMIT);
  return pageOf({
    items: stored.data, query: new URLSearchParams(), limit,
    project: (person) => pick(person, children),
    timeOf: () => thread.updatedMs,
    link: linker(request, `/${version}/${thread.id}/${field.name}`, nestedCarried(request, children, limit)),
  });
}

/**
 * `/{thread-id}/participants` (`senders`, `former_participants`): where a nested people edge's
 * links lead. Standard paging only (the listing scenario keys do not apply); sub-fields select
 * keys as in `participants{id,name}`. A thread without the edge (random worlds) lists nothing.
 */
function people(request, version, node, edge) {
  const world = request.random ? randomWorld(request.random.seed, request.random) : null;
  const thread = (world ?? request.inbox).byId.get(node);
  if (!thread) throw unknownObject(node);
  const tree = parseFields(request.query.get("fields"));
  const stored = thread.fields[edge]?.data ?? [];
  const limit = limitOf(request.query);
  const carried = [...request.query].filter(([key]) => !PAGING_PARAMS.has(key));
  carried.push(["limit", String(limit)]);
  return pageOf({
    items: stored, query: request.query, limit,
    project: (person) => pick(person, tree),
    timeOf: () => thread.updatedMs,
    link: linker(request, `/${version}/${thread.id}/${edge}`, carried),
  });
}

/** The `messages` edge nested in a conversation: `{data, paging}` whose `next` carries the token. */
function messagesEdge(request, version, thread, field) {
  const children = field.children?.length ? field.children : null;
  const limit = clampLimit(field.limit ?? DEFAULT_LIMIT);
  const carried = nestedCarried(request, children, limit);
  return pageOf({
    items: thread.readable, query: new URLSearchParams(), limit,
    project: (message) => projectNode(message.fields, children ?? DEFAULT_FIELDS.Message),
    timeOf: (message) => message.createdMs,
    link: linker(request, `/${version}/${thread.id}/messages`, carried),
  });
}

/** Makes absolute paging links: `access_token` first (always, as Graph does), then `params`. */
function linker(request, path, carried) {
  return (paging) => {
    const query = new URLSearchParams([["access_token", request.token], ...carried, ...paging]);
    return `${request.baseUrl}${path}?${query}`;
  };
}
