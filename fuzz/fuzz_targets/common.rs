//! Shared by the fuzz targets.
#![allow(dead_code)]

/// The access token the targets' requests carry.
pub const TOKEN: &str = "EAAFuzzPageToken0123456789abcdef";

/// Query parameters a link cursor never carries: secrets, and what the options set themselves.
pub const DROPPED: [&str; 7] = [
    "access_token",
    "appsecret_proof",
    "appsecret_time",
    "fields",
    "platform",
    "folder",
    "user_id",
];

/// The characters generated secrets are made of: those of real access tokens (`EAA…`,
/// `IGQV…`, app tokens `id|secret`), app secrets and proofs.
pub const SECRET_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789|/+=_.~-";

/// The forms in which a secret can show up: raw, percent-encoded, JSON-escaped.
pub fn forms_of(secret: &str) -> [String; 3] {
    [
        secret.to_owned(),
        form_urlencoded::byte_serialize(secret.as_bytes()).collect(),
        secret.replace('\\', "\\\\").replace('"', "\\\"").replace('/', "\\/"),
    ]
}

/// The first form of a secret found in `text`.
pub fn leak<'a>(text: &str, secrets: impl IntoIterator<Item = &'a String>) -> Option<String> {
    secrets
        .into_iter()
        .flat_map(|secret| forms_of(secret))
        .find(|form| text.contains(form.as_str()))
}

