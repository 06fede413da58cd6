// Entry for browsers and bundlers (Vite, webpack 5): the wasm module is fetched and compiled on
// first use, or by an explicit `init()` call with a custom location. A failed load rejects that
// call with NetworkError or InvalidResponseError, and the next call tries again.
import initWasm from "./gen/page_conversations.js";
import { bindApi } from "./api.js";
import { GraphError, InvalidResponseError, NetworkError } from "./errors.js";

// The error classes and GRAPH_API_VERSION (this module's own `init` shadows the one there).
export * from "./exports.js";

/** The load under way or done; null before the first and after a failed one. */
let loading = null;
let loaded = false;
/** What the last `init(input)` asked to load from, for the retries of later calls. */
let source;

/**
 * Loads the wasm module. Optional: every call loads it on first use. Call it first to load the
 * `.wasm` from a custom URL, `Response`, bytes or `WebAssembly.Module`. Once loaded, later calls
 * do nothing; after a failed load, the next call (or `init()`) tries again.
 */
export function init(input) {
  if (input !== undefined) source = input;
  loading ??= load(source ?? new URL("./gen/page_conversations_bg.wasm", import.meta.url)).then(
    () => {
      loaded = true;
    },
    (error) => {
      loading = null;
      throw error;
    },
  );
  return loading;
}

/**
 * Instantiates the module from `input`, failing with the package's error classes. A URL is
 * fetched here (so that a failed download is a NetworkError and an HTTP error keeps its status),
 * through a thenable that the glue awaits only when the module is not instantiated yet.
 */
async function load(input) {
  const where = typeof input === "string" || input instanceof URL ? String(input) : undefined;
  let status = null;
  const download = async () => {
    let response;
    try {
      response = await fetch(where);
    } catch (cause) {
      throw new NetworkError(`Could not load the page-conversations WebAssembly module from ${where}: ${String(cause?.message ?? cause)}`, { cause });
    }
    status = response.status;
    if (!response.ok) {
      throw new InvalidResponseError(`Could not load the page-conversations WebAssembly module from ${where}: HTTP ${status}`, { status });
    }
    return response;
  };
  const module = where === undefined ? input : { then: (resolve, reject) => download().then(resolve, reject) };
  try {
    await initWasm({ module_or_path: module });
  } catch (cause) {
    if (cause instanceof GraphError) throw cause;
    const from = where === undefined ? "" : ` from ${where}`;
    throw new InvalidResponseError(`What was loaded${from} is not the page-conversations WebAssembly module: ${String(cause?.message ?? cause)}`, { cause, status });
  }
}

export const {
  listConversations, listMessages, paginateConversations, paginateMessages, createClient, appSecretProof,
  handleWebhook, verifyWebhookSignature, parseWebhookEvents,
} = bindApi(() => loaded, init);
