//! Timestamps: Graph's `2021-07-23T09:28:50+0000` (no colon in the offset, so not RFC 3339) and
//! the ISO 8601 strings callers pass, turned into epoch milliseconds without a date library.

/// Epoch milliseconds of an ISO 8601 / Graph timestamp: `YYYY-MM-DD`, optionally followed by
/// `THH:MM[:SS[.fff]]` and `Z`, `±HH:MM`, `±HHMM` or `±HH` (no offset: UTC). `None` when it
/// does not parse.
pub fn parse_timestamp_ms(text: &str) -> Option<f64> {
    parse_timestamp_ms_in(text, &|wall_clock_ms| wall_clock_ms)
}

/// [`parse_timestamp_ms`], except that a date-time without an offset is local time, as
/// JavaScript's `Date` reads it: `local` turns its wall-clock time (in milliseconds, as if it
/// were UTC) into epoch milliseconds. A date alone stays UTC, as in JavaScript.
pub fn parse_timestamp_ms_in(text: &str, local: &dyn Fn(f64) -> f64) -> Option<f64> {
    // Over bytes: every character that can parse is ASCII.
    let (date, rest) = text.trim().as_bytes().split_at_checked(10)?;
    if date.get(4) != Some(&b'-') || date.get(7) != Some(&b'-') {
        return None;
    }
    let year = digits(date.get(..4)?)?;
    let month = digits(date.get(5..7)?)?;
    let day = digits(date.get(8..)?)?;
    if !(1..=12).contains(&month) || !(1..=days_in_month(year, month)).contains(&day) {
        return None;
    }
    let mut millis = days_from_civil(year, month, day) as f64 * 86_400_000.0;
    let time = match rest.split_first() {
        None => return Some(millis),
        Some((b'T' | b' ', time)) => time,
        Some(_) => return None,
    };
    let offset_at = time
        .iter()
        .position(|byte| matches!(byte, b'Z' | b'z' | b'+' | b'-'))
        .unwrap_or(time.len());
    let (clock, offset) = time.split_at_checked(offset_at)?;
    let mut clock_parts = clock.split(|&byte| byte == b':');
    let hours = two_digits(clock_parts.next()?)?;
    let minutes = two_digits(clock_parts.next()?)?;
    let seconds: f64 = match clock_parts.next() {
        None => 0.0,
        Some(seconds) => {
            let (whole, fraction) = match seconds.iter().position(|&byte| byte == b'.') {
                Some(dot) => (seconds.get(..dot)?, seconds.get(dot + 1..)?),
                None => (seconds, &[][..]),
            };
            let whole = two_digits(whole)?;
            if !fraction.iter().all(u8::is_ascii_digit) || seconds.last() == Some(&b'.') {
                return None;
            }
            let mut millis = 0;
            for index in 0..3 {
                millis = millis * 10 + fraction.get(index).map_or(0, |digit| i64::from(digit - b'0'));
            }
            whole as f64 + millis as f64 / 1000.0
        }
    };
    if clock_parts.next().is_some() || hours > 23 || minutes > 59 || seconds >= 61.0 {
        return None;
    }
    millis += ((hours * 60 + minutes) * 60) as f64 * 1000.0 + seconds * 1000.0;
    let offset_minutes = match offset {
        [] => return Some(local(millis)),
        [b'Z'] | [b'z'] => 0,
        [sign @ (b'+' | b'-'), rest @ ..] => {
            let sign = if *sign == b'-' { -1 } else { 1 };
            // `HH`, `HHMM` or `HH:MM`.
            let (h, m) = match rest {
                [h1, h2] => (two_digits(&[*h1, *h2])?, 0),
                [h1, h2, m1, m2] | [h1, h2, b':', m1, m2] => (two_digits(&[*h1, *h2])?, two_digits(&[*m1, *m2])?),
                _ => return None,
            };
            if h > 23 || m > 59 {
                return None;
            }
            sign * (h * 60 + m)
        }
        _ => return None,
    };
    Some(millis - offset_minutes as f64 * 60_000.0)
}

/// The value of a run of ASCII digits (the callers give 2 or 4).
fn digits(bytes: &[u8]) -> Option<i64> {
    let mut value = 0;
    for &byte in bytes {
        if !byte.is_ascii_digit() {
            return None;
        }
        value = value * 10 + i64::from(byte - b'0');
    }
    Some(value)
}

/// Exactly two ASCII digits.
fn two_digits(bytes: &[u8]) -> Option<i64> {
    if bytes.len() == 2 {
        digits(bytes)
    } else {
        None
    }
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_and_iso_forms() {
        let expected = 1_627_032_530_000.0; // 2021-07-23T09:28:50Z
        for text in [
            "2021-07-23T09:28:50+0000",
            "2021-07-23T09:28:50Z",
            "2021-07-23T09:28:50.000Z",
            "2021-07-23T11:28:50+02:00",
            "2021-07-23T11:28:50+0200",
            "2021-07-23T04:28:50-05",
            "2021-07-23T09:28:50",
        ] {
            assert_eq!(parse_timestamp_ms(text), Some(expected), "{text}");
        }
        assert_eq!(parse_timestamp_ms("1970-01-01"), Some(0.0));
        assert_eq!(parse_timestamp_ms("2024-02-29T00:00:00.5Z"), Some(1_709_164_800_500.0));
        assert_eq!(parse_timestamp_ms("1969-12-31T23:59:59Z"), Some(-1000.0));
    }

    #[test]
    fn a_date_time_without_an_offset_is_local_time() {
        let new_york = |wall_clock_ms: f64| wall_clock_ms + 5.0 * 3_600_000.0;
        assert_eq!(
            parse_timestamp_ms_in("2026-11-20T05:00:00", &new_york),
            parse_timestamp_ms("2026-11-20T10:00:00Z")
        );
        assert_eq!(
            parse_timestamp_ms_in("2026-11-20T05:00:00+0000", &new_york),
            parse_timestamp_ms("2026-11-20T05:00:00Z")
        );
        assert_eq!(
            parse_timestamp_ms_in("2026-11-20", &new_york),
            parse_timestamp_ms("2026-11-20T00:00:00Z")
        );
    }

    #[test]
    fn refuses_what_is_not_a_timestamp() {
        for text in [
            "",
            "yesterday",
            "2021-13-01",
            "2023-02-29",
            "2021-07-23T25:00:00Z",
            "2021-7-23",
            "2021-07-23T09:28:50+5",
            "2021-07-23T09:28:50.Z",
            "2021-07-23T09:28:50Z05",
            "2021-07-23T09:28:50+0:5:30",
            "2021-07-23T09:28:50+05:3",
            "2021-07-23T09:28:50+05::30",
            "１９７０-01-01",
            "2021-07-2é",
        ] {
            assert_eq!(parse_timestamp_ms(text), None, "{text}");
        }
        assert!(
            parse_timestamp_ms("2021-07-23T09:28").is_some(),
            "minutes precision is ISO 8601"
        );
    }
}
