// The option boundary: every options object a caller hands the package is read here, once, into
// plain values, before the wasm module sees anything. Whatever reading throws (a getter, a revoked
// Proxy, an array whose elements throw) becomes an InvalidOptionsError naming the option, so no
// caller's exception ever unwinds through wasm frames. Names are checked here too: an option no
// call of the package takes, or one this call does not take, is refused with a hint.
//
// The values themselves (is pageId digits, is limit in range…) are checked by the Rust core
// (src/options.rs), which reads the plain object made here.
import { InvalidOptionsError } from "./errors.js";

/** Options of every one-page request. */
const REQUEST = [
  "accessToken", "fields", "limit", "after", "before", "apiVersion", "baseUrl", "tokenIn",
  "appSecret", "dangerouslyAllowAppSecretInBrowser", "timedAppSecretProof", "appSecretProof",
  "appSecretTime", "signal", "timeoutMs", "maxRetries", "requestsPerSecond", "gate",
];
/** Options of the conversations edge only. */
const CONVERSATIONS = ["pageId", "platform", "folder", "userId"];
/** Options of the messages edge only (`pageId` names the Page whose budget it shares). */
const MESSAGES = ["conversationId", "pageId"];
/** Options of both pagers. */
const PAGING = ["maxPages", "maxItems", "onPage"];

/** The options each call takes, by the name users know the call by. */
export const CALLS = {
  listConversations: new Set([...REQUEST, ...CONVERSATIONS]),
  paginateConversations: new Set([...REQUEST, ...CONVERSATIONS, ...PAGING, "updatedSince"]),
  listMessages: new Set([...REQUEST, ...MESSAGES]),
  paginateMessages: new Set([...REQUEST, ...MESSAGES, ...PAGING]),
  createClient: new Set([...REQUEST, ...CONVERSATIONS, ...MESSAGES, ...PAGING, "updatedSince"]),
  "toArray()": new Set(["limit"]),
  appSecretProof: new Set(["accessToken", "appSecret", "unixSeconds"]),
  handleWebhook: new Set(["appSecret", "verifyToken"]),
  verifyWebhookSignature: new Set(["appSecret"]),
};

/** Every option name any call takes, for "did you mean" hints. */
const KNOWN = [...CALLS.createClient];

/** More options than any call takes, with room to spare: anything beyond is refused unread. */
const MAX_OPTIONS = 64;
/** The longest string any option takes (a cursor or `fields`: 8 KiB) with room to spare: longer
 * strings are refused here, without being copied into the wasm module's memory. */
const MAX_STRING_LENGTH = 16 * 1024;
/** The longest array option read (`fields`); longer arrays are refused unread. */
const MAX_ARRAY_LENGTH = 1000;

/** Stands for an object that is none of the kinds an option can be (the core says "object"). */
const OTHER_OBJECT = Object.freeze({});

/**
 * Reads `options` for `call` (a key of CALLS) into a plain null-prototype object of plain values:
 * strings, numbers, booleans, bigints, symbols, functions, fresh arrays (non-string items as
 * null), fresh `Date`s, a package-made `AbortSignal` following the caller's, or OTHER_OBJECT.
 * Absent (undefined or null) options are left out. `gate`, where allowed (the Workers entry), is
 * kept as the namespace given. Throws InvalidOptionsError.
 * @param {unknown} options
 * @param {keyof typeof CALLS} call
 * @param {{ gate?: boolean }} [runtime] whether this runtime takes the `gate` option
 * @returns {Record<string, unknown>}
 */
export function readOptions(options, call, runtime = {}) {
  const allowed = CALLS[call];
  const names = optionNames(options);
  const plain = Object.create(null);
  for (const name of names) {
    if (!allowed.has(name)) throw unknownOption(name, call, allowed);
    let value;
    try {
      value = options[name];
    } catch {
      throw unreadable(name);
    }
    if (value === undefined || value === null) continue;
    if (name === "signal") plain[name] = followSignal(value);
    else if (name === "gate") plain[name] = gateNamespace(value, runtime.gate === true);
    else plain[name] = plainValue(value, name);
  }
  return plain;
}

/** `{ ...defaults, ...options }` of two plain option objects, as `readOptions` makes them. */
export function mergeOptions(defaults, options) {
  return Object.assign(Object.create(null), defaults, options);
}

/** The plain object `readOptions` makes, limited to the options `call` takes. */
export function optionsFor(plain, call) {
  const allowed = CALLS[call];
  const kept = Object.create(null);
  for (const name of Object.keys(plain)) if (allowed.has(name)) kept[name] = plain[name];
  return kept;
}

/** The own enumerable string keys of an options object, or InvalidOptionsError. */
function optionNames(options) {
  if (typeof options !== "object" || options === null) throw refusal("options", "must be an object");
  let names;
  try {
    names = Array.isArray(options) ? null : Object.keys(options);
  } catch {
    throw unreadable("options");
  }
  if (names === null) throw refusal("options", "must be an object, not an array");
  if (names.length > MAX_OPTIONS) throw refusal("options", `has ${names.length} properties; no call takes more than ${MAX_OPTIONS}`);
  return names;
}

/** One option's value as a plain value (see readOptions). */
function plainValue(value, name) {
  if (typeof value === "string" && value.length > MAX_STRING_LENGTH) throw refusal(name, "is longer than any value this option takes");
  if (typeof value !== "object") return value;
  let length;
  try {
    length = Array.isArray(value) ? value.length : undefined;
  } catch {
    throw unreadable(name);
  }
  if (length === undefined) {
    const time = dateTime(value);
    return time === undefined ? OTHER_OBJECT : new Date(time);
  }
  if (!(length <= MAX_ARRAY_LENGTH)) throw refusal(name, `must have at most ${MAX_ARRAY_LENGTH} items`);
  const copy = [];
  try {
    for (let index = 0; index < length; index++) {
      const item = value[index];
      copy.push(typeof item === "string" && item.length <= MAX_STRING_LENGTH ? item : null);
    }
  } catch {
    throw unreadable(name);
  }
  return copy;
}

/** The time of a real `Date` (its internal slot, not an overridable method), else undefined. */
function dateTime(value) {
  try {
    return Date.prototype.getTime.call(value);
  } catch {
    return undefined;
  }
}

/**
 * A signal the package made, aborted with the caller's `reason` when the caller's signal aborts:
 * only a real `AbortSignal` is followed (its internal state, never its own properties, which a
 * caller could make throw), and the wasm module only ever sees the package's own.
 */
function followSignal(signal) {
  try {
    // The built-in getter is a brand check: it throws for anything but a real AbortSignal.
    const aborted = Object.getOwnPropertyDescriptor(AbortSignal.prototype, "aborted").get.call(signal);
    if (typeof AbortSignal.any === "function") return AbortSignal.any([signal]);
    const controller = new AbortController();
    const follow = () => controller.abort(reasonOf(signal));
    if (aborted) follow();
    else EventTarget.prototype.addEventListener.call(signal, "abort", follow, { once: true });
    return controller.signal;
  } catch {
    throw refusal("signal", "must be an AbortSignal");
  }
}

/**
 * The `gate` option: a Durable Object namespace (what a binding to ConversationsGate is), only in
 * Workers. Its methods are read here, once; the namespace itself is kept for the calls.
 */
function gateNamespace(namespace, allowed) {
  if (!allowed) throw refusal("gate", "is only available in Cloudflare Workers, where it is a Durable Object namespace bound to ConversationsGate");
  let looksRight;
  try {
    looksRight = typeof namespace === "object" && typeof namespace.idFromName === "function" && typeof namespace.get === "function";
  } catch {
    throw unreadable("gate");
  }
  if (!looksRight) throw refusal("gate", "must be a Durable Object namespace bound to ConversationsGate (env.CONVERSATIONS_GATE)");
  return namespace;
}

/** The built-in `reason` of a real AbortSignal. */
function reasonOf(signal) {
  return Object.getOwnPropertyDescriptor(AbortSignal.prototype, "reason").get.call(signal);
}

/** An option this call does not take, with the closest known name as a hint. */
function unknownOption(name, call, allowed) {
  const shown = JSON.stringify(name.length > 64 ? `${name.slice(0, 64)}…` : name);
  const option = name.length > 64 ? name.slice(0, 64) : name;
  if (KNOWN.includes(name)) return refusal(option, `is not an option of ${call}`, shown);
  const guess = closest(name, [...allowed]);
  const hint = guess === undefined ? "" : `; did you mean "${guess}"?`;
  return refusal(option, `is not an option of ${call}${hint}`, shown);
}

/** The name in `names` closest to `name` (case-insensitive edit distance at most 3), if any. */
function closest(name, names) {
  const wanted = name.toLowerCase();
  let best;
  let bestDistance = Math.min(3, Math.floor(wanted.length / 2));
  for (const candidate of names) {
    const distance = editDistance(wanted, candidate.toLowerCase());
    if (distance <= bestDistance && (best === undefined || distance < bestDistance)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance of two short strings. */
function editDistance(a, b) {
  if (a.length > 100 || b.length > 100) return Infinity;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

/** An option whose reading threw. What was thrown is not looked at: it may be anything. */
function unreadable(option) {
  return refusal(option, "could not be read (reading it threw)");
}

/** InvalidOptionsError for `option`, shown as `shown` in the message. */
function refusal(option, reason, shown = JSON.stringify(option)) {
  return new InvalidOptionsError(`Invalid option ${shown}: ${reason}`, { option });
}
