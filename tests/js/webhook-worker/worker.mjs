// A Worker answering Meta's webhooks with page-conversations (run in real workerd by
// ../webhook-workerd.test.mjs). Bindings: APP_SECRET, VERIFY_TOKEN.
//   any method /webhook   handleWebhook's response, with the events as JSON in `x-events`
//                         (base64) so the test sees both
//   POST /parse           parseWebhookEvents of the body: `{ events }` or `{ error: { name, code, message, graphError } }`
//   POST /verify          verifyWebhookSignature of the body's bytes: `{ text, bytes }`
import {
  GraphError, WebhookError, handleWebhook, parseWebhookEvents, verifyWebhookSignature,
} from "page-conversations";

const json = (value) => Response.json(value);

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (pathname === "/webhook") {
      const { response, events } = await handleWebhook(request, { appSecret: env.APP_SECRET, verifyToken: env.VERIFY_TOKEN });
      const headers = new Headers(response.headers);
      headers.set("x-events", btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(events)))));
      return new Response(response.body, { status: response.status, headers });
    }
    if (pathname === "/parse") {
      try {
        return json({ events: await parseWebhookEvents(await request.text()) });
      } catch (error) {
        return json({ error: { name: error.name, code: error.code, message: error.message, graphError: error instanceof GraphError, webhookError: error instanceof WebhookError } });
      }
    }
    if (pathname === "/verify") {
      const header = request.headers.get("x-hub-signature-256");
      const bytes = await request.arrayBuffer();
      return json({
        text: await verifyWebhookSignature(new TextDecoder().decode(bytes), header, env.APP_SECRET),
        bytes: await verifyWebhookSignature(bytes, header, env.APP_SECRET),
        view: await verifyWebhookSignature(new Uint8Array(bytes), header, env.APP_SECRET),
      });
    }
    return new Response("not found", { status: 404 });
  },
};
