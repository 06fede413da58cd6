//! `application/x-www-form-urlencoded`, byte for byte as the `form_urlencoded` crate writes and
//! reads it (its tests compare the two). Hand-written because it saves 1.5 KiB gzip of the wasm
//! module against the crate (`make bench`, size ledger).

/// Appends `text` percent-encoded: ASCII letters, digits and `*-._` as they are, a space as `+`,
/// every other byte as `%XX` (upper-case hex).
pub fn append_encoded(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &byte in text.as_bytes() {
        match byte {
            b'*' | b'-' | b'.' | b'0'..=b'9' | b'A'..=b'Z' | b'_' | b'a'..=b'z' => out.push(char::from(byte)),
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                for nibble in [byte >> 4, byte & 0x0f] {
                    out.push(char::from(HEX.get(usize::from(nibble)).copied().unwrap_or(b'0')));
                }
            }
        }
    }
}

/// `text` percent-encoded (see [`append_encoded`]).
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    append_encoded(&mut out, text);
    out
}

/// Appends the pair `name=value`, after a `&` when `out` is not empty.
pub fn append_pair(out: &mut String, name: &str, value: &str) {
    if !out.is_empty() {
        out.push('&');
    }
    append_encoded(out, name);
    out.push('=');
    append_encoded(out, value);
}

/// The pairs of a query, decoded: split on `&` (empty parts skipped), then on the first `=` (a
/// name alone has the value `""`), `+` read as a space, `%XX` decoded (a `%` not followed by two
/// hex digits stays), and bytes that are not UTF-8 replaced by U+FFFD.
pub fn parse(query: &str) -> impl Iterator<Item = (String, String)> + '_ {
    query.split('&').filter(|part| !part.is_empty()).map(|part| {
        let (name, value) = part.split_once('=').unwrap_or((part, ""));
        (decode(name), decode(value))
    })
}

/// One name or value of a query, decoded (see [`parse`]).
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        index += 1;
        match byte {
            b'+' => out.push(b' '),
            b'%' => match (hex_value(bytes.get(index)), hex_value(bytes.get(index + 1))) {
                (Some(high), Some(low)) => {
                    out.push(high << 4 | low);
                    index += 2;
                }
                _ => out.push(b'%'),
            },
            _ => out.push(byte),
        }
    }
    lossy_utf8(&out)
}

/// `String::from_utf8_lossy(bytes).into_owned()`: each invalid sequence becomes one U+FFFD, as
/// `Utf8Error` delimits it (the longest prefix of a valid sequence, at least one byte; a valid
/// prefix cut by the end of the input, whole). Decoded here byte by byte: `str::from_utf8` and the
/// `Utf8Chunks` iterator of `from_utf8_lossy` cost the wasm module more.
fn lossy_utf8(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some(&first) = rest.first() {
        // The sequence's length, and the range of its second byte (the others: 0x80..=0xBF).
        let (width, second) = match first {
            0x00..=0x7F => (1, 0..=0),
            0xC2..=0xDF => (2, 0x80..=0xBF),
            0xE0 => (3, 0xA0..=0xBF),
            0xE1..=0xEC | 0xEE..=0xEF => (3, 0x80..=0xBF),
            0xED => (3, 0x80..=0x9F),
            0xF0 => (4, 0x90..=0xBF),
            0xF1..=0xF3 => (4, 0x80..=0xBF),
            0xF4 => (4, 0x80..=0x8F),
            _ => (0, 0..=0),
        };
        let mut code = u32::from(if width == 1 { first } else { first & (0x7F >> width) });
        let mut valid = 1;
        while valid < width {
            let range = if valid == 1 { second.clone() } else { 0x80..=0xBF };
            match rest.get(valid) {
                Some(byte) if range.contains(byte) => code = code << 6 | u32::from(byte & 0x3F),
                _ => break,
            }
            valid += 1;
        }
        out.push(match valid == width {
            true => char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER),
            false => char::REPLACEMENT_CHARACTER,
        });
        rest = rest.get(valid..).unwrap_or_default();
    }
    out
}

/// The value of a hex digit.
fn hex_value(byte: Option<&u8>) -> Option<u8> {
    match byte? {
        digit @ b'0'..=b'9' => Some(digit - b'0'),
        letter @ b'a'..=b'f' => Some(letter - b'a' + 10),
        letter @ b'A'..=b'F' => Some(letter - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLES: &[&str] = &[
        "",
        "abc",
        "a b+c",
        "~1.&limit=25&__paging_token=enc%2Bx",
        "%",
        "%2",
        "%zz%4",
        "%41%4a%4A",
        "%C3%A9t%C3",
        "%FF%FEx",
        "é ü 🥐 *-._ !'()~",
        "a=b=c&&d&=e&f=",
        "EAAB|tok/en+1\"\\",
    ];

    #[test]
    fn encodes_as_form_urlencoded_does() {
        for sample in SAMPLES {
            let expected: String = form_urlencoded::byte_serialize(sample.as_bytes()).collect();
            assert_eq!(encode(sample), expected, "{sample:?}");
            let mut ours = String::from("~1.");
            append_pair(&mut ours, sample, sample);
            append_pair(&mut ours, "n", sample);
            let mut theirs = form_urlencoded::Serializer::new(String::from("~1."));
            theirs.append_pair(sample, sample).append_pair("n", sample);
            assert_eq!(ours, theirs.finish(), "{sample:?}");
        }
    }

    #[test]
    fn decodes_invalid_utf8_as_from_utf8_lossy_does() {
        let samples: &[&[u8]] = &[
            b"", b"abc", b"\xff", b"a\xffb", b"\xc3", b"\xc3\xa9", b"\xe2\x82", b"\xe2\x82x", b"\xf0\x9f\xa5",
            b"\xf0\x9f\xa5\x90", b"\xed\xa0\x80", b"\xc0\x80", b"\xf4\x90\x80\x80", b"x\x80\x80\xbfy\xfe\xff",
        ];
        for sample in samples {
            assert_eq!(lossy_utf8(sample), String::from_utf8_lossy(sample), "{sample:?}");
        }
        // Every sequence of up to 4 bytes drawn from the boundaries of UTF-8's ranges.
        let edges: &[u8] = &[
            0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED,
            0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF,
        ];
        let mut sample = Vec::new();
        for length in 1..=4_u32 {
            for mut index in 0..edges.len().pow(length) {
                sample.clear();
                for _ in 0..length {
                    sample.push(edges[index % edges.len()]);
                    index /= edges.len();
                }
                assert_eq!(lossy_utf8(&sample), String::from_utf8_lossy(&sample), "{sample:?}");
            }
        }
    }

    #[test]
    fn parses_as_form_urlencoded_does() {
        for sample in SAMPLES {
            let ours: Vec<(String, String)> = parse(sample).collect();
            let theirs: Vec<(String, String)> = form_urlencoded::parse(sample.as_bytes()).into_owned().collect();
            assert_eq!(ours, theirs, "{sample:?}");
        }
    }
}
