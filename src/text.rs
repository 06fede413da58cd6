//! Substring search over bytes. Kept hand-written because it saves 5.2 KiB gzip of the wasm
//! module (BENCHMARKS.md, size ledger): `str::find` and `str::contains` with a string pattern bring
//! core's two-way searcher, and with it the panic messages of string slicing and their Unicode
//! tables. The strings searched are short (option values, links, error messages).

/// The byte position of the first occurrence of `needle` in `haystack`, as `str::find` gives it.
pub fn find(haystack: &str, needle: &str) -> Option<usize> {
    let (haystack, needle) = (haystack.as_bytes(), needle.as_bytes());
    if needle.is_empty() {
        return Some(0);
    }
    haystack.windows(needle.len()).position(|window| window == needle)
}

/// Whether `needle` occurs in `haystack`, as `str::contains` says (see [`find`]).
pub fn contains(haystack: &str, needle: &str) -> bool {
    find(haystack, needle).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_as_str_does() {
        for haystack in ["", "a", "abc", "é&ü", "access_token=x&access_token=y"] {
            for needle in ["", "a", "bc", "ü", "access_token=", "zz"] {
                assert_eq!(find(haystack, needle), haystack.find(needle), "{haystack:?} {needle:?}");
                assert_eq!(contains(haystack, needle), haystack.contains(needle));
            }
        }
    }
}
