/** The Graph API version used when `apiVersion` is not given (the Rust core pins the same). */
export const GRAPH_API_VERSION = "v25.0";
