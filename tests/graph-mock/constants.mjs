/**
 * Fixed identities of the mock Graph server: the Page, its Instagram account, the app secret
 * that `appsecret_proof` is checked against, and a convenient token (any non-empty token works).
 */

/** The Page whose inbox the mock serves. */
export const MOCK_PAGE_ID = "1000000000000001";

/** The Instagram professional account linked to the Page (also what `/me` stands for). */
export const MOCK_IG_ACCOUNT_ID = "17841400000000001";

/** The app secret: `appsecret_proof` must be HMAC-SHA256 keyed with it. */
export const MOCK_APP_SECRET = "0123456789abcdef0123456789abcdef";

/** A token to use in tests; the mock accepts any non-empty token. */
export const MOCK_TOKEN = "EAAMockPageToken0123456789";

/** The Page's display name, as it appears among Messenger participants. */
export const MOCK_PAGE_NAME = "Café Sample 🥐";

/** The Instagram account's username, as it appears among Instagram participants. */
export const MOCK_IG_USERNAME = "cafe.sample";

/** The current Graph API version (what an unversioned request is served with). */
export const LATEST_VERSION = "v25.0";

/** The oldest live Graph API version: an older (expired) one is silently served as this one. */
export const OLDEST_LIVE_VERSION = "v20.0";
