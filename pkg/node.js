// Entry for Node: the wasm module is read from the package and instantiated synchronously.
import { readFileSync } from "node:fs";
import { initSync } from "./gen/page_conversations.js";
import { bindApi } from "./api.js";

initSync({ module: readFileSync(new URL("./gen/page_conversations_bg.wasm", import.meta.url)) });

export const {
  listConversations, listMessages, paginateConversations, paginateMessages, createClient, appSecretProof,
  handleWebhook, verifyWebhookSignature, parseWebhookEvents,
} = bindApi(() => true, async () => {});
export * from "./exports.js";
