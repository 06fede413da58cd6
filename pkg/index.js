// Entry for browsers and bundlers (Vite, webpack 5): the wasm module is fetched and compiled on
// first use, or by an explicit `init()` call with a custom location.
import initWasm, * as wasm from "./gen/page_conversations.js";

export * from "./errors.js";
export { GRAPH_API_VERSION } from "./version.js";

let ready;

/**
 * Loads the wasm module. Optional: every call loads it on first use. Call it first to load the
 * `.wasm` from a custom URL, `Response`, bytes or `WebAssembly.Module`; later calls do nothing.
 */
export function init(input) {
  ready ??= initWasm({
    module_or_path: input ?? new URL("./gen/page_conversations_bg.wasm", import.meta.url),
  }).then(() => undefined);
  return ready;
}

/** One page of a Page's conversations. See index.d.ts. */
export async function listConversations(options) {
  await init();
  return wasm.listConversations(options);
}

/** One page of a conversation's messages. See index.d.ts. */
export async function listMessages(options) {
  await init();
  return wasm.listMessages(options);
}

/** Hex HMAC-SHA256 `appsecret_proof` of a token. See index.d.ts. */
export async function appSecretProof(accessToken, appSecret, unixSeconds) {
  await init();
  return wasm.appSecretProof(accessToken, appSecret, unixSeconds);
}
