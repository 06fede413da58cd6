//! `Cursor::parse` (a cursor handed back by a caller) and `Cursor::from_link` (a legacy paging
//! link from Graph) over arbitrary text: never panic; what is accepted re-encodes to printable
//! ASCII and parses back to itself; link cursors never keep the token, the proof or the
//! options' own parameters.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use page_conversations::cursor::Cursor;
use page_conversations::redact::Secrets;

fn check_link(cursor: &Cursor) {
    let Cursor::Link(pairs) = cursor else {
        return;
    };
    assert!(!pairs.is_empty());
    for (name, _) in pairs {
        assert!(!name.is_empty() && !common::DROPPED.contains(&name.as_str()), "{name:?} kept");
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(cursor) = Cursor::parse(&text) {
        let encoded = cursor.encode();
        assert!(encoded.bytes().all(|b| b.is_ascii_graphic()), "{encoded:?}");
        assert_eq!(Cursor::parse(&encoded).as_ref(), Ok(&cursor), "{text:?} -> {encoded:?}");
        match &cursor {
            Cursor::Graph(value) => assert_eq!(value, &*text),
            Cursor::Link(_) => check_link(&cursor),
        }
    }
    let token = common::TOKEN.to_owned();
    let proof = "ab".repeat(32);
    if let Some(cursor) = Cursor::from_link(&text, &Secrets::new(&[&token, &proof])) {
        check_link(&cursor);
        let encoded = cursor.encode();
        assert!(encoded.bytes().all(|b| b.is_ascii_graphic()), "{encoded:?}");
        if encoded.len() <= 8192 {
            assert_eq!(Cursor::parse(&encoded).as_ref(), Ok(&cursor), "{text:?} -> {encoded:?}");
        }
        if let Cursor::Link(pairs) = &cursor {
            for (_, value) in pairs {
                assert_eq!(common::leak(value, [&token, &proof]), None, "{value:?} from {text:?}");
            }
        }
    }
});
