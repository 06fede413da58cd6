//! The subscribe handshake: `GET <callback>?hub.mode=subscribe&hub.challenge=<n>&hub.verify_token=<yours>`.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The longest `hub.challenge` echoed back. Meta sends a decimal number of about ten digits.
pub const MAX_CHALLENGE_LEN: usize = 128;

/// The challenge to answer with 200 when the query (with or without its leading `?`) is a
/// subscribe handshake for `verify_token`; `None` for a 403. Accepted only when:
///
/// * `hub.mode`, `hub.verify_token` and `hub.challenge` each appear exactly once (decoded as
///   `application/x-www-form-urlencoded`, so `+` and `%XX` are read);
/// * `hub.mode` is `subscribe`;
/// * `hub.verify_token` equals `verify_token`, which is not empty (compared in constant time,
///   lengths included: both are hashed and the digests compared);
/// * `hub.challenge` is 1 to [`MAX_CHALLENGE_LEN`] characters among `A-Z a-z 0-9 - . _ ~`
///   (it is echoed as the body: nothing that could be markup) and does not contain
///   `verify_token`.
pub fn subscribe_challenge(query: &str, verify_token: &str) -> Option<String> {
    let query = query.strip_prefix('?').unwrap_or(query);
    let mut mode = Once::default();
    let mut token = Once::default();
    let mut challenge = Once::default();
    for (name, value) in crate::urlencoded::parse(query) {
        match name.as_str() {
            "hub.mode" => mode.set(value),
            "hub.verify_token" => token.set(value),
            "hub.challenge" => challenge.set(value),
            _ => {}
        }
    }
    let (mode, token, challenge) = (mode.get()?, token.get()?, challenge.get()?);
    let token_matches = same_token(&token, verify_token);
    let acceptable = mode == "subscribe"
        && !verify_token.is_empty()
        && (1..=MAX_CHALLENGE_LEN).contains(&challenge.len())
        && challenge
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~'))
        && !crate::search::contains(&challenge, verify_token);
    (token_matches && acceptable).then_some(challenge)
}

/// A query parameter that must appear exactly once.
#[derive(Default)]
struct Once {
    value: Option<String>,
    repeated: bool,
}

impl Once {
    fn set(&mut self, value: String) {
        if self.value.is_some() {
            self.repeated = true;
        }
        self.value = Some(value);
    }

    fn get(self) -> Option<String> {
        if self.repeated {
            None
        } else {
            self.value
        }
    }
}

/// Whether `given` equals `expected`, in time that depends on neither's content nor on where
/// they differ: both are hashed (HMAC-SHA256 under a fixed key, so lengths do not show either)
/// and the digests compared with `hmac`'s constant-time `verify_slice`.
fn same_token(given: &str, expected: &str) -> bool {
    const KEY: &[u8] = b"page-conversations webhook verify token";
    let Ok(mut expected_mac) = Hmac::<Sha256>::new_from_slice(KEY) else {
        return false;
    };
    expected_mac.update(expected.as_bytes());
    let expected_digest = expected_mac.finalize().into_bytes();
    let Ok(mut given_mac) = Hmac::<Sha256>::new_from_slice(KEY) else {
        return false;
    };
    given_mac.update(given.as_bytes());
    given_mac.verify_slice(&expected_digest).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_handshake_meta_sends() {
        assert_eq!(
            subscribe_challenge(
                "hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meatyhamhock",
                "meatyhamhock"
            ),
            Some(String::from("1158201444"))
        );
        assert_eq!(
            subscribe_challenge(
                "?hub.verify_token=a%20b+c&hub.challenge=x-1&hub.mode=subscribe&x=1",
                "a b c"
            ),
            Some(String::from("x-1"))
        );
    }

    #[test]
    fn refuses_everything_else() {
        let token = "meatyhamhock";
        for query in [
            "",
            "hub.mode=subscribe&hub.challenge=1",
            "hub.mode=subscribe&hub.verify_token=meatyhamhock",
            "hub.challenge=1&hub.verify_token=meatyhamhock",
            "hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=meatyhamhock",
            "hub.mode=Subscribe&hub.challenge=1&hub.verify_token=meatyhamhock",
            "hub.mode=subscribe&hub.challenge=1&hub.verify_token=meatyhamhoc",
            "hub.mode=subscribe&hub.challenge=1&hub.verify_token=meatyhamhockk",
            "hub.mode=subscribe&hub.challenge=1&hub.verify_token=",
            "hub.mode=subscribe&hub.challenge=1&hub.verify_token=MEATYHAMHOCK",
            "hub.mode=subscribe&hub.challenge=&hub.verify_token=meatyhamhock",
            "hub.mode=subscribe&hub.challenge=%3Cscript%3E&hub.verify_token=meatyhamhock",
            "hub.mode=subscribe&hub.challenge=a+b&hub.verify_token=meatyhamhock",
            "hub.mode=subscribe&hub.challenge=x-meatyhamhock&hub.verify_token=meatyhamhock",
            "hub.mode=subscribe&hub.challenge=1&hub.challenge=2&hub.verify_token=meatyhamhock",
            "hub.mode=subscribe&hub.challenge=1&hub.verify_token=meatyhamhock&hub.verify_token=meatyhamhock",
            "hub.mode=subscribe&hub.mode=subscribe&hub.challenge=1&hub.verify_token=meatyhamhock",
        ] {
            assert_eq!(subscribe_challenge(query, token), None, "{query:?}");
        }
        let long = ["hub.mode=subscribe&hub.verify_token=t&hub.challenge=", &"9".repeat(129)].concat();
        assert_eq!(subscribe_challenge(&long, "t"), None);
        let longest = ["hub.mode=subscribe&hub.verify_token=t&hub.challenge=", &"9".repeat(128)].concat();
        assert_eq!(subscribe_challenge(&longest, "t").map(|c| c.len()), Some(128));
        assert_eq!(
            subscribe_challenge("hub.mode=subscribe&hub.challenge=1&hub.verify_token=", ""),
            None
        );
    }

    #[test]
    fn token_comparison() {
        assert!(same_token("abc", "abc"));
        assert!(same_token("", ""));
        assert!(!same_token("abc", "abd"));
        assert!(!same_token("abc", "abcd"));
    }
}
