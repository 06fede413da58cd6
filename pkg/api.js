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

/**
 * Lazy pager over a Page's conversations; reads and checks the options now (InvalidOptionsError
 * at once), and every iteration starts from what it read. See index.d.ts.
 */
export function paginateConversations(options) {
  return pager(wasm.startPager(options, false), options);
}

/** Lazy pager over a conversation's messages; see paginateConversations. */
export function paginateMessages(options) {
  return pager(wasm.startPager(options, true), options);
}

/** A pager whose iterations are fresh runs with the options `first` was started with. */
function pager(first, options) {
  return createPager(() => first.again(), options, wasm.toArrayLimit);
}

/** Nothing to do: the module is ready at import. Kept for one API in every runtime. */
export async function init() {}
