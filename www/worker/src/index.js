// The Worker's entry (wrangler.toml `main`): the routes of app.js, and the Durable Object classes
// wrangler.toml binds: the package's fleet gate (CONVERSATIONS_GATE, one per Page: every isolate's
// Graph calls for the Page are paced, backed off and coalesced there) and LiveInbox (LIVE_INBOX,
// one per Page: the open dashboards' WebSockets and the webhook events already pushed).
export { ConversationsGate } from "page-conversations";
export { LiveInbox } from "./live-inbox.js";
export { default } from "./app.js";
