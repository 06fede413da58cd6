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
    let text = text.trim();
    let (date, rest) = (text.get(..10)?, text.get(10..)?);
    let mut date_parts = date.split('-');
    let year: i64 = number(date_parts.next()?, 4)?;
    let month: i64 = number(date_parts.next()?, 2)?;
    let day: i64 = number(date_parts.next()?, 2)?;
    if !(1..=12).contains(&month) || !(1..=days_in_month(year, month)).contains(&day) {
        return None;
    }
    let mut millis = days_from_civil(year, month, day) as f64 * 86_400_000.0;
    let Some(time) = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' ')) else {
        return rest.is_empty().then_some(millis);
    };
    let offset_at = time.find(['Z', 'z', '+', '-']).unwrap_or(time.len());
    let (clock, offset) = time.split_at_checked(offset_at)?;
    let mut clock_parts = clock.split(':');
    let hours: i64 = number(clock_parts.next()?, 2)?;
    let minutes: i64 = number(clock_parts.next()?, 2)?;
    let seconds: f64 = match clock_parts.next() {
        None => 0.0,
        Some(seconds) => {
            let (whole, fraction) = seconds.split_once('.').unwrap_or((seconds, ""));
            let whole: i64 = number(whole, 2)?;
            if !fraction.bytes().all(|b| b.is_ascii_digit()) || seconds.ends_with('.') {
                return None;
            }
            // Milliseconds from the first three digits of the fraction (no float parsing).
            let millis = fraction
                .bytes()
                .chain(std::iter::repeat(b'0'))
                .take(3)
                .fold(0, |ms, digit| ms * 10 + i64::from(digit - b'0'));
            whole as f64 + millis as f64 / 1000.0
        }
    };
    if clock_parts.next().is_some() || hours > 23 || minutes > 59 || seconds >= 61.0 {
        return None;
    }
    millis += ((hours * 60 + minutes) * 60) as f64 * 1000.0 + seconds * 1000.0;
    let offset_minutes = match offset {
        "" => return Some(local(millis)),
        "Z" | "z" => 0,
        _ => {
            let (sign, digits) = offset.split_at_checked(1)?;
            let sign = if sign == "-" { -1 } else { 1 };
            let mut without_colons = String::new();
            for c in digits.chars() {
                if c != ':' {
                    without_colons.push(c);
                }
            }
            let digits = without_colons;
            let (h, m) = match digits.len() {
                2 => (number(&digits, 2)?, 0),
                4 => (number(digits.get(..2)?, 2)?, number(digits.get(2..)?, 2)?),
                _ => return None,
            };
            if h > 23 || m > 59 {
                return None;
            }
            sign * (h * 60 + m)
        }
    };
    Some(millis - offset_minutes as f64 * 60_000.0)
}

/// A field of exactly `width` ASCII digits.
fn number(text: &str, width: usize) -> Option<i64> {
    (text.len() == width && text.bytes().all(|b| b.is_ascii_digit())).then(|| crate::text::parse_integer(text))?
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
