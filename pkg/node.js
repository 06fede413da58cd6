// Entry for Node: the wasm module is read from the package and instantiated synchronously.
import { readFileSync } from "node:fs";
import { initSync } from "./gen/page_conversations.js";

initSync({ module: readFileSync(new URL("./gen/page_conversations_bg.wasm", import.meta.url)) });

export { listConversations, listMessages, appSecretProof } from "./gen/page_conversations.js";
export * from "./errors.js";
export { GRAPH_API_VERSION } from "./version.js";

/** Nothing to do in Node: the module is ready at import. Kept for one API in every runtime. */
export async function init() {}
