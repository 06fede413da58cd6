//! Numbers written as text without `core::fmt`: every `format!` and `to_string()` of a number
//! brings the formatting machinery into the wasm module at each call site.

/// The byte position of the first occurrence of `needle` in `haystack`. A plain search over
/// bytes: `str::find` with a string pattern brings core's two-way searcher, and with it the
/// panic messages of string slicing and their Unicode tables, into the wasm module. The strings
/// searched here are short (option values, links, error messages).
pub fn find(haystack: &str, needle: &str) -> Option<usize> {
    let (haystack, needle) = (haystack.as_bytes(), needle.as_bytes());
    if needle.is_empty() {
        return Some(0);
    }
    haystack.windows(needle.len()).position(|window| window == needle)
}

/// `text.split_once(separator)` for an ASCII separator, searched byte by byte: a `char` pattern
/// brings core's `CharSearcher` and its `memchr` into the wasm module.
pub fn split_once(text: &str, separator: u8) -> Option<(&str, &str)> {
    let at = text.bytes().position(|byte| byte == separator)?;
    Some((text.get(..at)?, text.get(at + 1..)?))
}

/// `text.rsplit_once(separator)` for an ASCII separator (see [`split_once`]).
pub fn rsplit_once(text: &str, separator: u8) -> Option<(&str, &str)> {
    let at = text.bytes().rposition(|byte| byte == separator)?;
    Some((text.get(..at)?, text.get(at + 1..)?))
}

/// `text.split(separator)` for an ASCII separator (see [`split_once`]).
pub fn split(text: &str, separator: u8) -> impl Iterator<Item = &str> {
    text.split(move |c: char| c == char::from(separator))
}

/// Whether `c` is one of the ASCII `bytes`: a plain loop (`<[u8]>::contains` is core's `memchr`,
/// several hundred bytes of the wasm module for a handful of bytes to compare).
pub fn has_byte(bytes: &[u8], c: char) -> bool {
    bytes.iter().any(|&byte| char::from(byte) == c)
}

/// `text.trim_end_matches(separator)` for an ASCII separator (see [`split_once`]).
pub fn trim_end(text: &str, separator: u8) -> &str {
    text.trim_end_matches(move |c: char| c == char::from(separator))
}

/// Whether `needle` occurs in `haystack` (see [`find`]).
pub fn contains(haystack: &str, needle: &str) -> bool {
    find(haystack, needle).is_some()
}

/// A decimal integer as `str::parse::<i64>` reads it: an optional `+` or `-`, then one or more
/// ASCII digits, within range (without the standard library's generic parsing code).
pub fn parse_integer(text: &str) -> Option<i64> {
    let (negative, digits) = match text.as_bytes().split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, text.as_bytes()),
    };
    if digits.is_empty() {
        return None;
    }
    let mut value: i64 = 0;
    for &byte in digits {
        let digit = i64::from(byte.checked_sub(b'0').filter(|digit| *digit < 10)?);
        value = value.checked_mul(10)?;
        value = if negative { value.checked_sub(digit)? } else { value.checked_add(digit)? };
    }
    Some(value)
}

/// The strings of `parts` one after the other: what `parts.concat()` gives, without the
/// standard library's generic `join` code (a KB in the wasm module for each element type).
pub fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|part| part.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// `number` in decimal.
pub fn decimal(number: u64) -> String {
    let mut digits = [0_u8; 20];
    let mut start = digits.len();
    let mut rest = number;
    loop {
        start -= 1;
        if let Some(digit) = digits.get_mut(start) {
            *digit = b'0' + (rest % 10) as u8;
        }
        rest /= 10;
        if rest == 0 || start == 0 {
            break;
        }
    }
    let mut out = String::new();
    for &digit in digits.get(start..).unwrap_or_default() {
        out.push(char::from(digit));
    }
    out
}

/// `number` in decimal, with a `-` when negative.
pub fn signed_decimal(number: i64) -> String {
    if number < 0 {
        concat(&["-", &decimal(number.unsigned_abs())])
    } else {
        decimal(number.unsigned_abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_numbers_as_display_does() {
        for n in [0, 1, 9, 10, 99, 100, 12_345, 1_700_000_000, u64::MAX] {
            assert_eq!(decimal(n), n.to_string());
        }
        for n in [0, -1, 5, -80_006, 2_147_483_647, i64::MIN, i64::MAX] {
            assert_eq!(signed_decimal(n), n.to_string());
        }
    }

    #[test]
    fn splits_as_str_does() {
        for text in ["", "a", "&", "a&b", "&a&&b&", "é&ü&", "a=b=c", "?x#y?z#"] {
            for separator in [b'&', b'=', b'?', b'#'] {
                let c = char::from(separator);
                assert_eq!(split_once(text, separator), text.split_once(c), "{text:?} {c:?}");
                assert_eq!(rsplit_once(text, separator), text.rsplit_once(c), "{text:?} {c:?}");
                assert_eq!(split(text, separator).collect::<Vec<_>>(), text.split(c).collect::<Vec<_>>());
                assert_eq!(trim_end(text, separator), text.trim_end_matches(c));
            }
        }
    }

    #[test]
    fn finds_bytes_as_contains_does() {
        let bytes = b"-._~/%!$'()*+,;=:@";
        for c in ['-', '@', 'a', ' ', '\0', 'é', '\u{2d}', char::from(0xad_u8)] {
            assert_eq!(has_byte(bytes, c), c.is_ascii() && bytes.contains(&(c as u8)), "{c:?}");
        }
    }

    #[test]
    fn concatenates_as_concat_does() {
        for parts in [&[][..], &[""], &["a"], &["Invalid option \"", "é", "\": ", ""]] {
            assert_eq!(concat(parts), parts.concat());
        }
    }

    #[test]
    fn parses_integers_as_str_parse_does() {
        for text in [
            "", "+", "-", "0", "-0", "+7", "42", "007", "-80006", " 1", "1 ", "1.0", "1e3", "0x10", "９",
            "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
            "99999999999999999999", "--1", "+-1",
        ] {
            assert_eq!(parse_integer(text), text.parse::<i64>().ok(), "{text:?}");
        }
    }
}
