// Entry for Cloudflare Workers (workerd): a static `.wasm` import gives a compiled
// `WebAssembly.Module` (Workers may not compile wasm from bytes at run time). Only here: the
// `gate` option and the ConversationsGate Durable Object class (re-exported by the Worker).
import wasmModule from "./gen/page_conversations_bg.wasm";
import { initSync } from "./gen/page_conversations.js";
import { bindApi } from "./api.js";

initSync({ module: wasmModule });

export const {
  listConversations, listMessages, paginateConversations, paginateMessages, createClient, appSecretProof,
  handleWebhook, verifyWebhookSignature, parseWebhookEvents,
} = bindApi(() => true, async () => {}, { gate: true });
export { ConversationsGate } from "./gate.js";
export * from "./exports.js";
