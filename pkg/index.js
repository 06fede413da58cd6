// Entry for browsers and bundlers (Vite, webpack 5): the wasm module is fetched and compiled on
// first use, or by an explicit `init()` call with a custom location.
import initWasm, * as wasm from "./gen/page_conversations.js";
import { createPager } from "./pager.js";

export {
  GraphError, GraphApiError, AuthError, PermissionError, RateLimitError, InvalidRequestError,
  PolicyBlockError, NetworkError, TimeoutError, InvalidResponseError, InvalidOptionsError,
  PagingError,
} from "./errors.js";
export { GRAPH_API_VERSION } from "./version.js";

let ready;
let loaded = false;

/**
 * Loads the wasm module. Optional: every call loads it on first use. Call it first to load the
 * `.wasm` from a custom URL, `Response`, bytes or `WebAssembly.Module`; later calls do nothing.
 */
export function init(input) {
  ready ??= initWasm({
    module_or_path: input ?? new URL("./gen/page_conversations_bg.wasm", import.meta.url),
  }).then(() => {
    loaded = true;
  });
  return ready;
}

/** One page of a Page's conversations. See index.d.ts. */
export async function listConversations(options) {
  await init();
  return wasm.listPage(options, false);
}

/** One page of a conversation's messages. See index.d.ts. */
export async function listMessages(options) {
  await init();
  return wasm.listPage(options, true);
}

/** Hex HMAC-SHA256 `appsecret_proof` of a token. See index.d.ts. */
export async function appSecretProof(accessToken, appSecret, unixSeconds) {
  await init();
  return wasm.appSecretProof(accessToken, appSecret, unixSeconds);
}

/**
 * Lazy pager over a Page's conversations. Once the module is loaded (after `await init()` or any
 * earlier call) the options are read and checked now (bad options throw at once); before that,
 * when the first iteration starts (the first page request rejects). Every iteration starts from
 * what was read.
 */
export function paginateConversations(options) {
  return pager(() => wasm.startPager(options, false), options);
}

/** Lazy pager over a conversation's messages; see paginateConversations. */
export function paginateMessages(options) {
  return pager(() => wasm.startPager(options, true), options);
}

function pager(start, options) {
  let first = loaded ? start() : undefined;
  const toArrayLimit = (toArrayOptions) =>
    loaded ? wasm.toArrayLimit(toArrayOptions) : init().then(() => wasm.toArrayLimit(toArrayOptions));
  return createPager(async () => (await init(), (first ??= start()).again()), options, toArrayLimit);
}
