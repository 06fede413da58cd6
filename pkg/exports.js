// What every entry exports besides the calls: the error classes, the pinned Graph API version,
// and `init()` for the entries whose module is ready at import.
export {
  GraphError, GraphApiError, AuthError, PermissionError, RateLimitError, InvalidRequestError,
  PolicyBlockError, NetworkError, TimeoutError, InvalidResponseError, InvalidOptionsError,
  PagingError, WebhookError,
} from "./errors.js";
export { GRAPH_API_VERSION } from "./version.js";

/** Nothing to do: the module is ready at import. Kept for one API in every runtime. */
export async function init() {}
