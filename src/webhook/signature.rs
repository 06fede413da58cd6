//! `X-Hub-Signature-256: sha256=<hex>`: HMAC-SHA256 of the raw body bytes with the app secret.

use hmac::{Hmac, Mac};
use sha2::Sha256;

const PREFIX: &str = "sha256=";

/// Whether `header` (the `X-Hub-Signature-256` value, `None` when absent) is `sha256=` followed
/// by the 64 lower-case hex digits of the HMAC-SHA256 of `raw_body` (the bytes as received,
/// never a re-encoded JSON) keyed with `app_secret`. Nothing else is accepted: no upper-case
/// hex, no spaces, no other algorithm. The digests are compared in constant time (`hmac`'s
/// `verify_slice`). An empty `app_secret` verifies nothing.
pub fn verify_signature(raw_body: &[u8], header: Option<&str>, app_secret: &str) -> bool {
    let Some(expected) = header.and_then(decode_header) else {
        return false;
    };
    if app_secret.is_empty() {
        return false;
    }
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(app_secret.as_bytes()) else {
        return false;
    };
    mac.update(raw_body);
    mac.verify_slice(&expected).is_ok()
}

/// The `X-Hub-Signature-256` value Meta sends with `raw_body`: `sha256=` and the lower-case hex
/// HMAC-SHA256 with `app_secret` (for tests, fuzzers and the mock Graph).
pub fn signature_header(raw_body: &[u8], app_secret: &str) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(PREFIX.len() + 64);
    out.push_str(PREFIX);
    // HMAC takes keys of any length: `new_from_slice` cannot fail.
    if let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(app_secret.as_bytes()) {
        mac.update(raw_body);
        for byte in mac.finalize().into_bytes() {
            for nibble in [byte >> 4, byte & 0x0f] {
                out.push(char::from(DIGITS.get(usize::from(nibble)).copied().unwrap_or(b'0')));
            }
        }
    }
    out
}

/// The 32 bytes of `sha256=<64 lower-case hex digits>`.
fn decode_header(header: &str) -> Option<[u8; 32]> {
    let hex = header.strip_prefix(PREFIX)?.as_bytes();
    if hex.len() != 64 {
        return None;
    }
    let mut out = [0_u8; 32];
    for (byte, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
        let (&high, &low) = (pair.first()?, pair.get(1)?);
        *byte = lower_hex(high)? << 4 | lower_hex(low)?;
    }
    Some(out)
}

fn lower_hex(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_round_trips() {
        let header = signature_header(b"{\"object\":\"page\"}", "s3cret");
        assert!(header.starts_with("sha256=") && header.len() == 71);
        assert!(verify_signature(b"{\"object\":\"page\"}", Some(&header), "s3cret"));
        assert!(!verify_signature(b"{\"object\":\"page\"} ", Some(&header), "s3cret"));
        assert!(!verify_signature(b"{\"object\":\"page\"}", Some(&header), "s3cret2"));
        assert!(!verify_signature(
            b"{\"object\":\"page\"}",
            Some(&header.to_uppercase()),
            "s3cret"
        ));
        assert!(!verify_signature(b"{\"object\":\"page\"}", None, "s3cret"));
    }

    #[test]
    fn known_vector() {
        // HMAC-SHA256(key = "key", "The quick brown fox jumps over the lazy dog")
        assert_eq!(
            signature_header(b"The quick brown fox jumps over the lazy dog", "key"),
            "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
        );
    }

    #[test]
    fn empty_secret_verifies_nothing() {
        let header = signature_header(b"{}", "");
        assert!(!verify_signature(b"{}", Some(&header), ""));
    }

    #[test]
    fn header_shape() {
        let digest = "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8";
        assert!(decode_header(&["sha256=", digest].concat()).is_some());
        for bad in [
            String::from(digest),
            ["sha1=", digest].concat(),
            ["SHA256=", digest].concat(),
            ["sha256= ", digest].concat(),
            ["sha256=", digest, " "].concat(),
            ["sha256=", &digest[..63]].concat(),
            ["sha256=", digest, "0"].concat(),
            ["sha256=", &digest[..62], "0g"].concat(),
            ["sha256=", &digest[..62], "0F"].concat(),
            ["sha256=", &digest[..62], "é"].concat(),
        ] {
            assert_eq!(decode_header(&bad), None, "{bad:?}");
        }
    }
}
