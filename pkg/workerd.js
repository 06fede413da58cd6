// Entry for Cloudflare Workers (workerd): a static `.wasm` import gives a compiled
// `WebAssembly.Module` (Workers may not compile wasm from bytes at run time).
import wasmModule from "./gen/page_conversations_bg.wasm";
import { initSync } from "./gen/page_conversations.js";

initSync({ module: wasmModule });

export { listConversations, listMessages, appSecretProof } from "./gen/page_conversations.js";
export * from "./errors.js";
export { GRAPH_API_VERSION } from "./version.js";

/** Nothing to do in Workers: the module is ready at import. Kept for one API in every runtime. */
export async function init() {}
