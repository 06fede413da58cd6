// The cold-start floor (bench/floor, built into target/floor/pkg by bench/floor/build.sh) as a
// Worker entry in place of the package's (bench/workerd-cold.mjs bundles it for `page-conversations`):
// initialised as the package's workerd.js is, and `listConversations` is the floor's one request;
// `list` is that export itself (bench/worker/bench-worker.mjs times it against the package).
import wasmModule from "../../target/floor/pkg/floor_bg.wasm";
import { initSync, list } from "../../target/floor/pkg/floor.js";

initSync({ module: wasmModule });

export { list };

/** The page the options name, fetched by the floor's `list` (only what the cold start uses). */
export function listConversations({ baseUrl, pageId, accessToken, fields, limit }) {
  const query = new URLSearchParams({ fields, limit: String(limit) });
  return list(`${baseUrl}/v25.0/${pageId}/conversations?${query}`, accessToken);
}
