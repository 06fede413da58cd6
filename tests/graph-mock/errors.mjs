/**
 * Graph's error envelope, and the catalogue of realistic errors a scenario can ask for with
 * `error=CODE` or `error=CODE.SUBCODE`.
 */

import { randomBytes } from "node:crypto";

/** A Graph error to answer with: an HTTP status and the fields of the `error` object. */
export class GraphRequestError extends Error {
  constructor(status, error) {
    super(error.message);
    this.status = status;
    this.error = error;
  }
}

/**
 * Makes a GraphRequestError. `type` defaults to OAuthException (as for most Graph errors),
 * `status` to 400 (500 for the transient codes 1 and 2), `transient` to codes 1 and 2.
 */
export function graphError(code, message, options = {}) {
  const transientCode = code === 1 || code === 2;
  const error = {
    message,
    type: options.type ?? "OAuthException",
    code,
    error_subcode: options.subcode,
    is_transient: options.transient ?? transientCode,
    error_user_title: options.userTitle,
    error_user_msg: options.userMsg,
  };
  return new GraphRequestError(options.status ?? (transientCode ? 500 : 400), error);
}

/** The JSON body for a GraphRequestError, with a fresh random `fbtrace_id`. */
export function envelope(err) {
  const error = Object.fromEntries(Object.entries(err.error).filter(([, v]) => v !== undefined));
  error.fbtrace_id = randomBytes(8).toString("base64url").slice(0, 11);
  return { error };
}

/** Graph's "object does not exist" error for an unknown node id. */
export function unknownObject(id) {
  return graphError(100, `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`, { type: "GraphMethodException", subcode: 33 });
}

/** What Graph says when a cursor or paging token is not (or no longer) valid. */
export function invalidCursor() {
  return graphError(100, "(#2642) Invalid cursors values", { subcode: 2642 });
}

const TOKEN_190 = {
  458: "Error validating access token: The user has not authorized application 1234567890.",
  459: "Error validating access token: You cannot access the app till you log in to www.facebook.com and follow the instructions given.",
  460: "Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.",
  461: "Error validating access token: The session has been invalidated because the user is not a confirmed user.",
  462: "Error validating access token: The session was invalidated explicitly using an API call.",
  463: "Error validating access token: Session has expired on Friday, 20-Nov-26 01:00:00 PST. The current time is Friday, 20-Nov-26 02:17:43 PST.",
  464: "Error validating access token: Sessions for the user are not allowed because the user is not a confirmed user.",
  465: "Error validating access token: The session is invalid because the user is temporarily locked.",
  466: "Error validating access token: The session is invalid because the app's permissions have changed.",
  467: "Error validating access token: The session is invalid because the user logged out.",
  492: "Error validating access token: The user does not have a role on the Page that this token belongs to.",
  493: "Error validating access token: The Page this token belongs to has been deleted or unpublished.",
};

const BUSINESS_USE_CASE = {
  80001: "(#80001) There have been too many calls to this Page account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.",
  80002: "(#80002) There have been too many calls to this Instagram account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.",
  80006: "(#80006) There have been too many messages requests to this thread. Please wait a while and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.",
};

/** The message (and user-facing title/text where Graph gives one) for a code and subcode. */
function describe(code, subcode, { token, echo, tokenMessage }) {
  if (code === 190) {
    if (echo) return { message: `Malformed access token ${token ?? ""}` };
    const message = TOKEN_190[subcode] ?? "Invalid OAuth access token - Cannot parse access token";
    if (subcode === 463) {
      return { message, userTitle: "Your session has expired", userMsg: "Please log in again to keep using this Page's inbox." };
    }
    return { message };
  }
  if (code === 368) {
    return {
      message: "The action attempted has been deemed abusive or is otherwise disallowed",
      userTitle: "You're Temporarily Blocked",
      userMsg: "It looks like you were misusing this feature by going too fast. You've been temporarily blocked from using it.",
    };
  }
  if (code >= 80000 && code <= 80014) {
    return { message: BUSINESS_USE_CASE[code] ?? `(#${code}) There have been too many calls for this business use case. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.` };
  }
  if (code === 2500) {
    return { message: tokenMessage ? "An active access token must be used to query information about the current user." : "Error parsing graph query" };
  }
  if (code === 210) return { message: "(#210) A page access token is required to request this resource." };
  if (code === 230) return { message: "(#230) Requires pages_messaging permission to message this user" };
  if (code > 200 && code <= 299) return { message: `(#${code}) Permissions error` };
  const fixed = {
    1: "An unknown error occurred",
    2: "An unexpected error has occurred. Please retry your request later.",
    3: "(#3) Application does not have the capability to make this API call.",
    4: "(#4) Application request limit reached",
    10: "(#10) Application does not have permission for this action",
    17: "(#17) User request limit reached",
    32: "(#32) Page request limit reached",
    100: "(#100) Invalid parameter",
    102: "Session key invalid or no longer valid",
    104: "An access token is required to request this resource.",
    200: "(#200) Requires pages_messaging permission to manage the object",
    341: "(#341) Application limit reached",
    613: "(#613) Calls to this api have exceeded the rate limit.",
  };
  return { message: fixed[code] ?? `(#${code}) An error occurred` };
}

/**
 * The error a scenario asks for.
 * @param {{code: number, subcode?: number, status?: number, transient?: boolean,
 *   echo?: boolean, tokenMessage?: boolean}} wanted
 * @param {string|null} token the token of the request (echoed by `echo` with 190).
 */
export function scenarioError(wanted, token) {
  const { message, userTitle, userMsg } = describe(wanted.code, wanted.subcode, { ...wanted, token });
  return graphError(wanted.code, message, {
    subcode: wanted.subcode, status: wanted.status, transient: wanted.transient, userTitle, userMsg,
  });
}
