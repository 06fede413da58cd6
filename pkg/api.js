// The public API, shared by every entry. An entry binds it to its way of loading the wasm module
// (`bindApi(isReady, load)`): Node and Workers load it at import, browsers on first use.
//
// Every call reads its options once, here, through the option boundary (options.js), and hands
// the wasm module only the plain values read; errors it rejects with carry the caller's call site
// in their stack.
import * as wasm from "./gen/page_conversations.js";
import { GraphError } from "./errors.js";
import { leavesSent } from "./gate-client.js";
import { mergeOptions, optionsFor, readOptions } from "./options.js";
import { createPager } from "./pager.js";
import * as webhook from "./webhook.js";

/**
 * The API over the wasm module.
 * @param {() => boolean} isReady whether the module is ready now
 * @param {() => Promise<void>} load loads the module (settles at once when it is ready; rejects
 *   with the load failure)
 * @param {{ gate?: boolean }} [runtime] what this runtime offers: `gate` in Workers
 */
export function bindApi(isReady, load, runtime = {}) {
  /** Runs `work` once the module is ready; a rejection gets the caller's call site. */
  async function run(site, work) {
    try {
      if (!isReady()) await load();
      return await work();
    } catch (error) {
      throw await failed(error, site);
    }
  }

  /** One page of a listing, with options already read. */
  function listPage(plain, call, site) {
    return run(site, () => (call === "listMessages" ? wasm.listMessages(plain) : wasm.listConversations(plain)));
  }

  /**
   * A lazy pager. The options are read now (a bad name or an unreadable value throws at once);
   * the values are checked now too when the module is ready, else when iteration starts. Each
   * iteration is a fresh run from the values read now.
   */
  function pager(plain, call, site) {
    const start = () =>
      call === "paginateMessages" ? wasm.startMessagesPager(plain) : wasm.startConversationsPager(plain);
    if (isReady()) {
      try {
        start().free();
      } catch (error) {
        throw withCallSite(error, site);
      }
    }
    /** `toArray()`'s limit: bad options throw at once (once the module is ready). */
    const toArrayLimit = (toArrayOptions) => {
      const given = toArrayOptions === undefined || toArrayOptions === null ? toArrayOptions : readOptions(toArrayOptions, "toArray()", runtime);
      return isReady() ? wasm.toArrayLimit(given) : run(site, () => wasm.toArrayLimit(given));
    };
    return createPager(() => run(site, start), plain.onPage, toArrayLimit, (error) => failed(error, site), (error) => withCallSite(error, site));
  }

  /** `listConversations(options)`: one page of a Page's conversations. See index.d.ts. */
  function listConversations(options) {
    const site = callSite(listConversations);
    return read(options, "listConversations", site, listPage);
  }

  /** `listMessages(options)`: one page of a conversation's messages. See index.d.ts. */
  function listMessages(options) {
    const site = callSite(listMessages);
    return read(options, "listMessages", site, listPage);
  }

  /** `paginateConversations(options)`: a lazy pager over a Page's conversations. */
  function paginateConversations(options) {
    const site = callSite(paginateConversations);
    return pager(readNow(options, "paginateConversations", site, runtime), "paginateConversations", site);
  }

  /** `paginateMessages(options)`: a lazy pager over a conversation's messages. */
  function paginateMessages(options) {
    const site = callSite(paginateMessages);
    return pager(readNow(options, "paginateMessages", site, runtime), "paginateMessages", site);
  }

  /**
   * `createClient(defaults)`: the four calls with `defaults` merged under each call's own options.
   * The defaults are read now, and their values checked now when the module is ready (in a
   * browser before the module has loaded, each call checks the defaults it takes).
   */
  function createClient(defaults) {
    const site = callSite(createClient);
    const base = readNow(defaults, "createClient", site, runtime);
    if (isReady()) {
      try {
        wasm.checkDefaults(base);
      } catch (error) {
        throw withCallSite(error, site);
      }
    }
    /** The call's own options over the defaults it takes. */
    const merged = (options, call, here) =>
      mergeOptions(optionsFor(base, call), options === undefined ? {} : readNow(options, call, here, runtime));
    return {
      listConversations: function listConversations(options) {
        const here = callSite(listConversations);
        return run(here, () => listPage(merged(options, "listConversations", here), "listConversations", here));
      },
      listMessages: function listMessages(options) {
        const here = callSite(listMessages);
        return run(here, () => listPage(merged(options, "listMessages", here), "listMessages", here));
      },
      paginateConversations: function paginateConversations(options) {
        const here = callSite(paginateConversations);
        return pager(merged(options, "paginateConversations", here), "paginateConversations", here);
      },
      paginateMessages: function paginateMessages(options) {
        const here = callSite(paginateMessages);
        return pager(merged(options, "paginateMessages", here), "paginateMessages", here);
      },
    };
  }

  /** `appSecretProof(accessToken, appSecret, unixSeconds?)`: the hex HMAC-SHA256 proof. */
  function appSecretProof(accessToken, appSecret, unixSeconds) {
    const site = callSite(appSecretProof);
    const plain = { accessToken, appSecret, unixSeconds };
    return read(plain, "appSecretProof", site, (values) => run(site, () => wasm.appSecretProof(values)));
  }

  /**
   * `handleWebhook(request, { appSecret, verifyToken })`: the answer to a webhook request and the
   * events of a verified POST. See index.d.ts.
   */
  function handleWebhook(request, options) {
    const site = callSite(handleWebhook);
    return read(options, "handleWebhook", site, (plain) => run(site, () => webhook.handleWebhook(request, plain)));
  }

  /** `verifyWebhookSignature(rawBody, signatureHeader, appSecret)`: whether Meta signed the body. */
  function verifyWebhookSignature(rawBody, signatureHeader, appSecret) {
    const site = callSite(verifyWebhookSignature);
    return read({ appSecret }, "verifyWebhookSignature", site, (plain) =>
      run(site, () => webhook.verifyWebhookSignature(rawBody, signatureHeader, plain)));
  }

  /** `parseWebhookEvents(payload)`: a webhook payload's events, or a WebhookError. */
  function parseWebhookEvents(payload) {
    const site = callSite(parseWebhookEvents);
    return run(site, () => webhook.parseWebhookEvents(payload));
  }

  /** Reads `options` for `call`, then `then(plain, call, site)`; refusals reject. */
  function read(options, call, site, then) {
    let plain;
    try {
      plain = readOptions(options, call, runtime);
    } catch (error) {
      return Promise.reject(withCallSite(error, site));
    }
    return then(plain, call, site);
  }

  return {
    listConversations, listMessages, paginateConversations, paginateMessages, createClient, appSecretProof,
    handleWebhook, verifyWebhookSignature, parseWebhookEvents,
  };
}

/**
 * What a call rejects with: `error` with the caller's call site, once any turn the call gave back
 * to a fleet gate has reached it.
 */
async function failed(error, site) {
  await leavesSent();
  return withCallSite(error, site);
}

/** Reads `options` for `call`, throwing refusals with the caller's call site. */
function readNow(options, call, site, runtime) {
  try {
    return readOptions(options, call, runtime);
  } catch (error) {
    throw withCallSite(error, site);
  }
}

/** The caller's stack at an entry point `fn` (frames of `fn` and above left out). */
function callSite(fn) {
  const site = {};
  if (typeof Error.captureStackTrace === "function") Error.captureStackTrace(site, fn);
  else site.stack = new Error().stack;
  return site;
}

/**
 * The error with the caller's frames as its stack (below its `name: message` line), so that a
 * stack trace shows where the call was made rather than only the package's internals. Anything
 * that is not the package's own error (an abort's `signal.reason`) is returned unchanged.
 */
function withCallSite(error, site) {
  try {
    if (!(error instanceof GraphError)) return error;
    const stack = String(site.stack ?? "");
    const frames = stack.startsWith("Error") || stack.startsWith("[object") ? stack.slice(stack.indexOf("\n") + 1) : stack;
    Object.defineProperty(error, "stack", {
      value: `${error.name}: ${error.message}\n${frames}`,
      writable: true,
      configurable: true,
    });
  } catch {
    // A value whose prototype chain cannot be read is not ours: leave it.
  }
  return error;
}
