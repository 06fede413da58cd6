/**
 * Graph's `fields` parameter: parsing (with field expansion), checking against the node types
 * the mock serves, projection of objects, and serialization back into a `fields` string.
 *
 * Grammar: `list := item ("," item)*`, `item := name ("." modifier "(" args ")")* ("{" list "}")?`.
 * Only the `limit(n)` modifier has an effect (on the nested edges: `messages`, `participants`,
 * `senders`, `former_participants`); others are accepted and ignored. Empty items (`id,,name`, a trailing comma) are skipped.
 */

import { graphError } from "./errors.mjs";

/** Field name -> node type of its sub-objects: an edge type, or null for a plain value/object. */
export const SCHEMA = {
  UnifiedThread: {
    id: null, updated_time: null, link: null, snippet: null, message_count: null,
    unread_count: null, participants: null, senders: null, former_participants: null,
    can_reply: null, is_subscribed: null, is_owner: null, name: null, subject: null,
    scoped_thread_key: null, wallpaper: null, folder: null, messages: "Message",
  },
  Message: {
    id: null, created_time: null, message: null, from: null, to: null, attachments: null,
    sticker: null, shares: null, story: null, reactions: null, reply_to: null, tags: null,
    is_unsupported: null,
  },
};

/** Fields a node gets when the request names none. */
export const DEFAULT_FIELDS = {
  UnifiedThread: [{ name: "id" }, { name: "updated_time" }],
  Message: [{ name: "id" }, { name: "created_time" }],
};

/**
 * Parses a `fields` value into `[{name, limit?, children?}]`; `null` for no value.
 * @throws a GraphRequestError 2500 (syntax) or 100 (bad `limit(...)`).
 */
export function parseFields(text) {
  if (text === null || text.trim() === "") return null;
  let pos = 0;
  const syntaxError = (expected) => {
    const found = pos < text.length ? `"${text[pos]}"` : "end of string";
    return graphError(2500, `Syntax error "Expected ${expected} instead of ${found}." at character ${pos}: ${text}`);
  };
  const skipSpaces = () => { while (text[pos] === " ") pos += 1; };
  const readName = () => {
    const start = pos;
    while (pos < text.length && /[A-Za-z0-9_]/.test(text[pos])) pos += 1;
    return text.slice(start, pos);
  };

  const parseList = (depth) => {
    const closer = depth > 0 ? '"}"' : "end of string";
    const items = [];
    for (;;) {
      skipSpaces();
      if (pos >= text.length) {
        if (depth > 0) throw syntaxError(closer);
        return items;
      }
      if (text[pos] === ",") { pos += 1; continue; }
      if (text[pos] === "}" && depth > 0) { pos += 1; return items; }
      const item = { name: readName() };
      if (!item.name) throw syntaxError(closer);
      while (text[pos] === ".") {
        pos += 1;
        const modifier = readName();
        if (!modifier || text[pos] !== "(") throw syntaxError('"("');
        const close = text.indexOf(")", pos);
        if (close < 0) { pos = text.length; throw syntaxError('")"'); }
        const args = text.slice(pos + 1, close).trim();
        pos = close + 1;
        if (modifier === "limit") {
          if (!/^\d+$/.test(args)) throw graphError(100, `(#100) The parameter limit must be an integer, got "${args}"`);
          item.limit = Number(args);
        }
      }
      skipSpaces();
      if (text[pos] === "{") {
        pos += 1;
        item.children = parseList(depth + 1);
      }
      skipSpaces();
      if (pos < text.length && text[pos] !== "," && !(text[pos] === "}" && depth > 0)) throw syntaxError(closer);
      items.push(item);
    }
  };
  return parseList(0);
}

/**
 * Checks every field (recursively through edges) exists on `nodeType`.
 * @throws a GraphRequestError 100 "Tried accessing nonexisting field".
 */
export function checkFields(tree, nodeType) {
  for (const field of tree ?? []) {
    if (!Object.hasOwn(SCHEMA[nodeType], field.name)) {
      throw graphError(100, `(#100) Tried accessing nonexisting field (${field.name}) on node type (${nodeType})`);
    }
    const edgeType = SCHEMA[nodeType][field.name];
    if (edgeType) checkFields(field.children, edgeType);
  }
}

/**
 * Projects a node's stored fields onto a field tree, in the requested order, `id` always
 * included (Graph appends it). `edge(name, field)` produces edge values such as `messages`.
 */
export function projectNode(stored, tree, edge) {
  const out = {};
  for (const field of tree) {
    if (Object.hasOwn(out, field.name)) continue;
    const value = edge?.(field) ?? pick(stored[field.name], field.children);
    if (value !== undefined) out[field.name] = value;
  }
  if (!Object.hasOwn(out, "id")) out.id = stored.id;
  return out;
}

/** Keeps only the named sub-fields of a plain value (objects, `{data: [...]}` lists, arrays). */
export function pick(value, children) {
  if (!children || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => pick(v, children));
  if (Array.isArray(value.data)) return { ...value, data: value.data.map((v) => pick(v, children)) };
  const out = {};
  for (const child of children) {
    if (value[child.name] !== undefined) out[child.name] = pick(value[child.name], child.children);
  }
  return out;
}

/** Writes a field tree back as a `fields` string (for the nested edges' `next` links). */
export function serializeFields(tree) {
  return tree.map((f) => f.name
    + (f.limit !== undefined ? `.limit(${f.limit})` : "")
    + (f.children ? `{${serializeFields(f.children)}}` : "")).join(",");
}
