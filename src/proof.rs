//! `appsecret_proof`: HMAC-SHA256 of the access token keyed with the app secret.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Hex HMAC-SHA256 of `access_token` (or of `access_token|unix_seconds` for the timed variant)
/// with `app_secret` as the key, as Graph expects in `appsecret_proof`.
pub fn app_secret_proof(access_token: &str, app_secret: &str, unix_seconds: Option<u64>) -> String {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail; fall back to an empty
    // string rather than panicking if that ever changed.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(app_secret.as_bytes()) else {
        return String::new();
    };
    mac.update(access_token.as_bytes());
    if let Some(seconds) = unix_seconds {
        mac.update(b"|");
        mac.update(seconds.to_string().as_bytes());
    }
    to_hex(&mac.finalize().into_bytes())
}

/// Lower-case hexadecimal of `bytes`.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        for nibble in [byte >> 4, byte & 0x0f] {
            out.push(char::from(DIGITS.get(usize::from(nibble)).copied().unwrap_or(b'0')));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_rfc4231_style_vector() {
        // HMAC-SHA256(key = "key", "The quick brown fox jumps over the lazy dog")
        assert_eq!(
            app_secret_proof("The quick brown fox jumps over the lazy dog", "key", None),
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
        );
    }

    #[test]
    fn timed_variant_appends_pipe_and_seconds() {
        assert_eq!(
            app_secret_proof("tok", "secret", Some(1_700_000_000)),
            app_secret_proof("tok|1700000000", "secret", None)
        );
    }
}
