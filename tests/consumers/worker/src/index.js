// The README's Worker, plus what a test needs: GRAPH_BASE_URL (the mock) and a `spec` query
// parameter that picks a mock scenario. Secrets: PAGE_ACCESS_TOKEN, APP_SECRET.
import { listConversations, GraphError, AuthError } from "page-conversations";

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    try {
      const page = await listConversations({
        pageId: env.PAGE_ID,
        accessToken: env.PAGE_ACCESS_TOKEN,
        appSecret: env.APP_SECRET, // appsecret_proof on every request
        baseUrl: `${env.GRAPH_BASE_URL}/_/${url.searchParams.get("spec") ?? ""}`,
        after: url.searchParams.get("cursor") ?? undefined,
        maxRetries: 0,
        signal: request.signal,
      });
      return Response.json(page); // safe to hand to a browser: no token in it
    } catch (error) {
      if (error instanceof GraphError) {
        return Response.json({ ...error.toJSON(), isAuthError: error instanceof AuthError }, { status: 502 });
      }
      throw error;
    }
  },
};
