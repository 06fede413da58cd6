/**
 * Makes the mock Graph deliver a message to its inbox and send the signed webhook, as Graph would:
 *
 *   node tests/graph-mock/send-webhook.mjs --mock MOCK_URL --to WORKER_URL/webhook [--secret APP_SECRET]
 *     [--text TEXT] [--conversation ID] [--platform messenger|instagram] [--kind KIND] [--mid MID]
 *     [--duplicate] [--bad-signature]
 *
 * Calls the mock's `POST /__mock/webhook` and prints its answer (one JSON line:
 * `{"sent":[{"status":200}],"conversationId":…,"mid":…,…}`). Exit 0 when every POST got a 2xx,
 * 1 otherwise (with `--bad-signature`: 0 when every POST was refused with a 4xx), 2 for bad usage.
 * `--secret` defaults to the mock's app secret.
 */

import { parseArgs } from "node:util";

import { MOCK_APP_SECRET } from "./constants.mjs";

const USAGE = "usage: node tests/graph-mock/send-webhook.mjs --mock MOCK_URL --to WORKER_URL/webhook [--secret APP_SECRET] "
  + "[--text TEXT] [--conversation ID] [--platform messenger|instagram] [--kind KIND] [--mid MID] [--duplicate] [--bad-signature]";

let values;
try {
  ({ values } = parseArgs({
    options: {
      mock: { type: "string" },
      to: { type: "string" },
      secret: { type: "string", default: MOCK_APP_SECRET },
      text: { type: "string" },
      conversation: { type: "string" },
      platform: { type: "string" },
      kind: { type: "string" },
      mid: { type: "string" },
      duplicate: { type: "boolean", default: false },
      "bad-signature": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  }));
} catch (err) {
  process.stderr.write(`${err.message}\n${USAGE}\n`);
  process.exit(2);
}
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (!values.mock || !values.to) {
  process.stderr.write(`--mock and --to are required\n${USAGE}\n`);
  process.exit(2);
}

const request = {
  url: values.to, appSecret: values.secret, text: values.text, conversationId: values.conversation,
  platform: values.platform, kind: values.kind, mid: values.mid,
  duplicate: values.duplicate, badSignature: values["bad-signature"],
};
let res;
try {
  res = await fetch(`${values.mock.replace(/\/+$/, "")}/__mock/webhook`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(request),
  });
} catch (err) {
  process.stderr.write(`send-webhook: the mock Graph at ${values.mock} cannot be reached: ${err.cause?.message ?? err.message}\n`);
  process.exit(1);
}
const text = await res.text();
process.stdout.write(`${text}\n`);
if (!res.ok) process.exit(1);
const { sent } = JSON.parse(text);
const wanted = values["bad-signature"] ? (s) => s >= 400 && s < 500 : (s) => s >= 200 && s < 300;
process.exit(sent.every(({ status }) => wanted(status)) ? 0 : 1);
