// The deep walk that proves no secret leaks out of a thrown value, without Node imports so that
// the Worker (tests/js/worker/worker.mjs) runs the very same walk inside workerd.

/**
 * Every string reachable from `value`: own properties (enumerable or not, symbols included),
 * recursively, through getters too (their value, when reading does not throw), plus `message`,
 * `stack`, `String(value)` and `cause` of errors, `toJSON()` and `JSON.stringify` forms, and the
 * same for the prototype chain's own getters of errors (e.g. a `message` getter).
 */
export function reachableStrings(value, out = [], seen = new Set()) {
  if (typeof value === "string") {
    out.push(value);
    return out;
  }
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") {
    out.push(String(value));
    return out;
  }
  if (typeof value === "symbol") {
    out.push(String(value.description));
    return out;
  }
  if (value === null || (typeof value !== "object" && typeof value !== "function") || seen.has(value)) return out;
  seen.add(value);
  const read = (key) => { try { return value[key]; } catch { return undefined; } };
  if (value instanceof Error || (typeof value === "object" && "stack" in value && "message" in value)) {
    for (const key of ["message", "stack", "name", "code"]) reachableStrings(read(key), out, seen);
    try { out.push(String(value)); } catch { /* no string form */ }
    if ("cause" in value) reachableStrings(read("cause"), out, seen);
  }
  for (const key of Reflect.ownKeys(value)) {
    out.push(String(typeof key === "symbol" ? key.description : key));
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (!descriptor) continue;
    if ("value" in descriptor) reachableStrings(descriptor.value, out, seen);
    else if (descriptor.get) reachableStrings(read(key), out, seen);
  }
  if (typeof value.toJSON === "function") {
    try { out.push(JSON.stringify(value.toJSON())); } catch { /* not JSON-able */ }
  }
  try { out.push(JSON.stringify(value)); } catch { /* cyclic */ }
  return out;
}

/**
 * The forms a secret can take in text: raw, URL-encoded (component, URI, form), JSON-escaped
 * (with `\/` as Graph writes it) and HTML-escaped, plus distinctive fragments (`parts`) that
 * catch a secret cut short.
 */
export function secretForms(secret, parts = []) {
  const json = JSON.stringify(secret).slice(1, -1);
  const html = secret.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  return [...new Set([
    secret, encodeURIComponent(secret), encodeURI(secret), new URLSearchParams({ x: secret }).toString().slice(2),
    json, json.replaceAll("/", "\\/"), html, ...parts,
  ])];
}

/** The strings of `strings` that contain one of `needles` (strings or RegExps): `[{needle, text}]`. */
export function findLeaks(strings, needles) {
  const leaks = [];
  for (const text of strings) {
    for (const needle of needles) {
      const found = needle instanceof RegExp ? needle.test(text) : Boolean(needle) && text.includes(needle);
      if (found) leaks.push({ needle: String(needle), text: text.slice(0, 300) });
    }
  }
  return leaks;
}
