// JavaScript helpers of the wasm glue: JSON.parse without exceptions, and the few objects the
// binding hands out, built here in one call each (instead of a property at a time from Rust).

/**
 * `JSON.parse(text, reviver)`, or `undefined` when `text` is not JSON. A throwing import called
 * from wasm leaks one wasm-bindgen externref slot per failure, and Graph's HTML error pages and
 * truncated bodies would make a long-lived Worker's table grow without bound.
 */
export function parseJson(text, reviver) {
  try {
    return JSON.parse(text, reviver);
  } catch {
    return undefined;
  }
}

/** Whether any of the strings `forms` appears in `text`. */
export function includesAny(text, forms) {
  for (const form of forms) if (text.includes(form)) return true;
  return false;
}

/** How many times the strings `forms` occur in `text` (each form counted on its own). */
function occurrences(text, forms) {
  let count = 0;
  for (let f = 0; f < forms.length; f++) {
    const form = forms[f];
    for (let at = text.indexOf(form); at !== -1; at = text.indexOf(form, at + form.length)) count++;
  }
  return count;
}

/** Whether `value` is an object (not null, not an array). */
export const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * `value[key]` of a parsed JSON object, or `undefined` when `value` is not an object (an array
 * neither). One call from wasm instead of four; parsed JSON has no getters, so it cannot throw.
 */
export function member(value, key) {
  return isObject(value) ? value[key] : undefined;
}

/**
 * Removes, in place, the secrets Graph puts into the paging links of a parsed page, without
 * copying the body's text: the secrets' `forms` must occur in `text` exactly as often as in the
 * page's own `paging.next` / `paging.previous` (never returned: the binding turns them into
 * cursors) and in the `paging.next` / `paging.previous` links of the nested edges of `data`'s
 * items (`messages.paging.next`); those links then lose their secret parameters (`strip`, a
 * global RegExp). Returns false, having changed nothing the caller keeps, when a secret occurs
 * anywhere else or survives `strip`: the caller then takes the slow path. Only for secrets
 * without characters that JSON escapes, so that the text and the values count alike.
 */
export function cleanLinks(body, text, forms, strip) {
  if (!isObject(body)) return false;
  let left = occurrences(text, forms);
  const paging = body.paging;
  if (isObject(paging)) {
    if (typeof paging.next === "string") left -= occurrences(paging.next, forms);
    if (typeof paging.previous === "string") left -= occurrences(paging.previous, forms);
  }
  const data = body.data;
  const links = [];
  if (left > 0 && Array.isArray(data)) {
    for (let i = 0; i < data.length; i++) {
      const item = data[i];
      if (!isObject(item)) continue;
      for (const key in item) {
        const edge = item[key];
        if (!isObject(edge) || !isObject(edge.paging) || !Object.prototype.hasOwnProperty.call(item, key)) continue;
        const { next, previous } = edge.paging;
        if (typeof next === "string") {
          const found = occurrences(next, forms);
          if (found > 0) {
            left -= found;
            links.push(edge.paging, "next", found);
          }
        }
        if (typeof previous === "string") {
          const found = occurrences(previous, forms);
          if (found > 0) {
            left -= found;
            links.push(edge.paging, "previous", found);
          }
        }
      }
    }
  }
  if (left !== 0) return false;
  for (let i = 0; i < links.length; i += 3) {
    const cleaned = stripLink(links[i][links[i + 1]], forms, links[i + 2], strip);
    if (cleaned === undefined) return false;
    links[i][links[i + 1]] = cleaned;
  }
  return true;
}

/**
 * `link` without its secret parameters (`found` occurrences of `forms` in it), or `undefined`
 * when a secret would remain. The common case, one secret once, as a whole parameter after `?` or
 * `&` and before `&` or the end, is cut out directly, exactly as `strip` would; anything else goes
 * through `strip`.
 */
function stripLink(link, forms, found, strip) {
  if (forms.length === 1 && found === 1) {
    const at = link.indexOf(forms[0]);
    const end = at + forms[0].length;
    for (const name of ["access_token=", "appsecret_proof="]) {
      const start = at - name.length;
      if (start < 1 || !link.startsWith(name, start)) continue;
      const separator = link[start - 1];
      if (separator !== "?" && separator !== "&") break;
      if (end === link.length) return link.slice(0, start - 1);
      if (link[end] === "&") return link.slice(0, start) + link.slice(end + 1);
      break;
    }
  }
  const cleaned = link.replace(strip, "");
  return occurrences(cleaned, forms) > 0 ? undefined : cleaned;
}

/** The parsed JSON of a header's value; `undefined` when absent (`null`) or not JSON. */
function parseHeader(value) {
  return value === null ? undefined : parseJson(value);
}

/**
 * Graph's rate-limit usage headers of `response`, each parsed as JSON (`undefined` when absent or
 * not JSON): `[app, page, businessUseCase]`, or `undefined` when none of the three is there (as
 * in browsers, where CORS hides them).
 */
export function usageHeaders(response) {
  const headers = response.headers;
  const app = headers.get("x-app-usage");
  const page = headers.get("x-page-usage");
  const businessUseCase = headers.get("x-business-use-case-usage");
  if (app === null && page === null && businessUseCase === null) return undefined;
  return [parseHeader(app), parseHeader(page), parseHeader(businessUseCase)];
}

/**
 * Epoch milliseconds of the local date-time whose wall clock reads `wallClockMs` (epoch
 * milliseconds as if it were UTC): how `Date` reads an ISO string without an offset.
 */
export function localTimeMs(wallClockMs) {
  const wall = new Date(wallClockMs);
  const local = new Date(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate(), wall.getUTCHours(),
    wall.getUTCMinutes(), wall.getUTCSeconds(), wall.getUTCMilliseconds());
  // The constructor reads years 0-99 as 1900-1999; setFullYear does not.
  return local.setFullYear(wall.getUTCFullYear());
}

/** A page as the package returns it. */
export function pageObject(data, nextCursor, previousCursor, usage) {
  return { data, paging: { nextCursor, previousCursor }, usage };
}

/** A pager's step: a page, its number and the running count of items. */
export function pagerStep(page, pageNumber, itemCount) {
  return { page, pageNumber, itemCount };
}

/**
 * The body of `response` as text (UTF-8, as `response.text()` reads it), or `undefined` when it
 * is longer than `limit` bytes: its `Content-Length` says so (nothing is read), or the bytes that
 * arrive pass the limit (the rest is cancelled). Rejects as `response.text()` does when the body
 * cannot be read; never throws.
 */
export async function readText(response, limit) {
  const body = response.body;
  const declared = response.headers.get("content-length");
  if (Number(declared) > limit) {
    body?.cancel().catch(() => {});
    return undefined;
  }
  // A declared length within the limit, of a body not compressed (a compressed one may unpack
  // to far more): the runtime enforces it (a body cannot run past its Content-Length), and its
  // own text() is the fastest read.
  if (declared !== null && /^\d+$/.test(declared) && response.headers.get("content-encoding") === null) return response.text();
  if (body === null) return "";
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > limit) {
      reader.cancel().catch(() => {});
      return undefined;
    }
    text += decoder.decode(value, { stream: true });
  }
}

/** The functions the wasm module imports, as one object (see `js_namespace` in src/js/json.rs). */
export const json = {
  parseJson, includesAny, isObject, member, cleanLinks, usageHeaders, localTimeMs, pageObject, pagerStep, readText,
};
