// JSON.parse for the wasm glue, returning `undefined` instead of throwing: a throwing import
// called from wasm leaks one wasm-bindgen externref slot per failure, and Graph's HTML error
// pages and truncated bodies would make a long-lived Worker's table grow without bound.

/** `JSON.parse(text, reviver)`, or `undefined` when `text` is not JSON. */
export function parseJson(text, reviver) {
  try {
    return JSON.parse(text, reviver);
  } catch {
    return undefined;
  }
}
