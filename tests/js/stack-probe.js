// Calls the package in ways that fail, for the stack tests (stacks.test.mjs in Node, and
// browser.test.mjs in Chromium): each error's stack must name this file, the caller.
// Plain ESM; `api` is the package's entry of the runtime.

/** The `stack` of each failure: bad options, a Graph error, a network failure, a pager's error. */
export async function failureStacks(api, base, closedUrl) {
  const stacks = {};
  const record = async (name, call) => {
    try {
      await call();
      stacks[name] = null;
    } catch (error) {
      stacks[name] = { name: error.name, stack: String(error.stack) };
    }
  };
  await record("options", () => api.listConversations({ ...base, cursor: "x" }));
  await record("graph", () => api.listConversations({ ...base, accessToken: "EAAbad", baseUrl: `${base.baseUrl}/_/error=190` }));
  await record("network", () => api.listConversations({ ...base, baseUrl: closedUrl, maxRetries: 0 }));
  await record("pager", async () => {
    for await (const page of api.paginateConversations({ ...base, baseUrl: `${base.baseUrl}/_/error=190`, maxRetries: 0 }).pages()) void page;
  });
  await record("client", () => api.createClient({ ...base }).listMessages({ conversationId: "../x" }));
  return stacks;
}
