//! Substring search, through memchr's `memmem` (linear in the text whatever the pattern).
//!
//! std's `str::find(&str)` and `str::contains(&str)` would read the same, but their searcher
//! slices at a `char` boundary for the empty pattern, and that slice's panic message brings
//! `char`'s `Debug` and its Unicode tables into the wasm module: memchr saves 1.3 KiB gzip
//! (`make bench`, size ledger). For the same reason ASCII sets are tested on bytes
//! (`b"…".contains(&byte)`): `str::contains(char)` searches for a non-ASCII `char` as a `&str`.

/// The byte offset of the first `needle` in `haystack`.
pub fn find(haystack: &str, needle: &str) -> Option<usize> {
    memchr::memmem::find(haystack.as_bytes(), needle.as_bytes())
}

/// Whether `needle` occurs in `haystack`.
pub fn contains(haystack: &str, needle: &str) -> bool {
    find(haystack, needle).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_std_finds() {
        let texts = ["", "a", "aaa", "abcabd", "héllo wörld", "access_token=EAAB&access_token=x", "ééé"];
        let needles = ["", "a", "aa", "abd", "ö", "wörld", "access_token=", "x", "é", "zz"];
        for text in texts {
            for needle in needles {
                assert_eq!(find(text, needle), text.find(needle), "{text:?} {needle:?}");
                assert_eq!(contains(text, needle), text.contains(needle), "{text:?} {needle:?}");
            }
        }
    }
}
