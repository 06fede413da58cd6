// The webhook verify token of `make demo` and the e2e stack (with the mock Graph's app secret):
// demo values, never a real app's.
export const DEMO_VERIFY_TOKEN = "demo-verify-token";
