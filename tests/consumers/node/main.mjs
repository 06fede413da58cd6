// A plain Node ESM consumer of the installed package, as the README shows. Prints one JSON line.
//   node node/main.mjs MOCK_URL PAGE_ID TOKEN RUN_ID
import {
  listConversations, paginateConversations, AuthError, GraphError, InvalidOptionsError,
} from "page-conversations";

const [mockUrl, pageId, accessToken, run] = process.argv.slice(2);
const common = { pageId, accessToken, maxRetries: 0 };
const result = { resolved: import.meta.resolve("page-conversations") };

const page = await listConversations({ ...common, baseUrl: `${mockUrl}/_/id=${run}`, fields: ["id", "updated_time", "snippet"] });
result.ids = page.data.map((conversation) => conversation.id);
result.fields = [...new Set(page.data.flatMap((conversation) => Object.keys(conversation)))].sort();

const pages = [];
const pager = paginateConversations({ ...common, baseUrl: `${mockUrl}/_/id=${run}-pager`, limit: 10, maxPages: 3 });
for await (const onePage of pager.pages()) pages.push(onePage.data.map((conversation) => conversation.id));
result.pages = pages;

try {
  await listConversations({ ...common, baseUrl: `${mockUrl}/_/id=${run}-error;error=190` });
} catch (error) {
  result.error = { name: error.name, code: error.code, auth: error instanceof AuthError, graph: error instanceof GraphError };
}

try {
  paginateConversations({ ...common, pageId: "not a page" });
} catch (error) {
  result.invalid = { option: error.option, invalidOptions: error instanceof InvalidOptionsError };
}

console.log(JSON.stringify(result));
