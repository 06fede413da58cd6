// The public API over a wasm module that is already initialised: shared by the Node and Workers
// entries, which initialise it synchronously at import.
import * as wasm from "./gen/page_conversations.js";
import { createPager } from "./pager.js";

export { appSecretProof } from "./gen/page_conversations.js";
export {
  GraphError, GraphApiError, AuthError, PermissionError, RateLimitError, InvalidRequestError,
  PolicyBlockError, NetworkError, TimeoutError, InvalidResponseError, InvalidOptionsError,
  PagingError,
} from "./errors.js";
export { GRAPH_API_VERSION } from "./version.js";

/** One page of a Page's conversations. See index.d.ts. */
export function listConversations(options) {
  return wasm.listPage(options, false);
}

/** One page of a conversation's messages. See index.d.ts. */
export function listMessages(options) {
  return wasm.listPage(options, true);
}

/** Lazy pager over a Page's conversations; throws InvalidOptionsError at once. See index.d.ts. */
export function paginateConversations(options) {
  wasm.startPager(options, false).free();
  return createPager(() => wasm.startPager(options, false), options, wasm.toArrayLimit);
}

/** Lazy pager over a conversation's messages; throws InvalidOptionsError at once. See index.d.ts. */
export function paginateMessages(options) {
  wasm.startPager(options, true).free();
  return createPager(() => wasm.startPager(options, true), options, wasm.toArrayLimit);
}

/** Nothing to do: the module is ready at import. Kept for one API in every runtime. */
export async function init() {}
