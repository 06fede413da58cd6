// The browser app of the Vite and webpack consumers (each app's main.js imports this file, so
// both bundle the same consumer code): it uses the package as the README shows, against the mock
// Graph named in the page's query string, and writes what happened into <pre id="result"> as JSON.
//   ?mock=http://127.0.0.1:PORT&page=PAGE_ID&token=TOKEN&run=RUN_ID
import {
  listConversations, paginateConversations, AuthError, GraphApiError, GraphError, GRAPH_API_VERSION,
} from "page-conversations";

const query = new URLSearchParams(location.search);
const mock = query.get("mock");
const run = query.get("run") ?? "browser";
const common = { pageId: query.get("page"), accessToken: query.get("token"), maxRetries: 0 };

async function main() {
  const result = { version: GRAPH_API_VERSION };

  // One page of conversations (the token goes in the query string in a browser window).
  const page = await listConversations({ ...common, baseUrl: `${mock}/_/id=${run}` });
  result.ids = page.data.map((conversation) => conversation.id);
  result.hasNext = page.paging.nextCursor !== null;

  // Two pages of 5 through the pager.
  const paged = [];
  for await (const conversation of paginateConversations({
    ...common, baseUrl: `${mock}/_/id=${run}-pager`, limit: 5, maxPages: 2, requestsPerSecond: 0,
  })) paged.push(conversation.id);
  result.pagedIds = paged;

  // An expired token: the error must be the package's AuthError class, after bundling too.
  try {
    await listConversations({ ...common, baseUrl: `${mock}/_/id=${run}-error;error=190` });
    result.error = null;
  } catch (error) {
    result.error = {
      name: error?.name,
      code: error?.code,
      graphCode: error?.graphCode,
      // Labels spelled out: minifiers rename classes, so `Class.name` would not survive.
      instanceOf: Object.entries({ AuthError, GraphApiError, GraphError, Error })
        .filter(([, Class]) => error instanceof Class).map(([label]) => label),
    };
  }
  return result;
}

const out = document.getElementById("result");
main().then(
  (result) => { out.textContent = JSON.stringify(result); },
  (error) => { out.textContent = JSON.stringify({ failed: `${error?.name}: ${error?.message}` }); },
).finally(() => { out.dataset.done = "true"; });
