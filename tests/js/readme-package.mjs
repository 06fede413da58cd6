// "page-conversations" as the README's snippets see it in readme.test.mjs: the real package (its
// Node entry), every export unchanged, except that the four calls and createClient default
// `baseUrl` to the mock Graph the test points them at (`useGraph`). The defaults are merged by
// the package's own createClient, so a snippet's own options (its `baseUrl` too) still win and are
// checked exactly as the package checks them.
import * as real from "page-conversations";

export * from "page-conversations";

let baseUrl;

/** Points every later call at `url` (the mock Graph, with a run id prefix). */
export function useGraph(url) {
  baseUrl = url;
}

/** A client with the mock's baseUrl under `defaults`. */
export function createClient(defaults) {
  return real.createClient({ baseUrl, ...defaults });
}

export function listConversations(options) {
  return real.createClient({ baseUrl }).listConversations(options);
}

export function listMessages(options) {
  return real.createClient({ baseUrl }).listMessages(options);
}

export function paginateConversations(options) {
  return real.createClient({ baseUrl }).paginateConversations(options);
}

export function paginateMessages(options) {
  return real.createClient({ baseUrl }).paginateMessages(options);
}
