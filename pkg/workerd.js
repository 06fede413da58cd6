// Entry for Cloudflare Workers (workerd): a static `.wasm` import gives a compiled
// `WebAssembly.Module` (Workers may not compile wasm from bytes at run time).
import wasmModule from "./gen/page_conversations_bg.wasm";
import { initSync } from "./gen/page_conversations.js";
import { bindApi } from "./api.js";

initSync({ module: wasmModule });

export const {
  listConversations, listMessages, paginateConversations, paginateMessages, createClient, appSecretProof,
} = bindApi(() => true, async () => {});
export * from "./exports.js";
