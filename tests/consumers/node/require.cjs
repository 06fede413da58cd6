// A CommonJS consumer: `require()` of the ESM-only package (Node 20.19+ loads ES modules with
// require). Prints one JSON line.
const { listConversations, AuthError, GRAPH_API_VERSION } = require("page-conversations");

console.log(JSON.stringify({
  resolved: require.resolve("page-conversations"),
  listConversations: typeof listConversations,
  authError: new AuthError("x") instanceof Error,
  version: GRAPH_API_VERSION,
}));
