//! Time as the wire format and HTTP write it: RFC 3339 UTC seconds (`UpdateDate`) and HTTP dates
//! (RFC 9110 §5.6.7, for `Retry-After`), proleptic Gregorian, no clock of its own.

/// Earliest instant [`rfc3339`] can write: 0000-01-01T00:00:00Z.
pub const MIN_RFC3339: i64 = -62_167_219_200;
/// Latest instant [`rfc3339`] can write: 9999-12-31T23:59:59Z.
pub const MAX_RFC3339: i64 = 253_402_300_799;

fn push_2(out: &mut String, n: u32) {
    out.push(char::from(b'0' + (n / 10 % 10) as u8));
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (`civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Appends [`rfc3339`] of `unix_seconds` (clamped the same way) without allocating.
pub fn push_rfc3339(out: &mut String, unix_seconds: i64) {
    let t = unix_seconds.clamp(MIN_RFC3339, MAX_RFC3339);
    let (y, m, d) = civil_from_days(t.div_euclid(86_400));
    let secs = t.rem_euclid(86_400) as u32;
    let y = y as u32; // 0..=9999 after the clamp
    push_2(out, y / 100);
    push_2(out, y % 100);
    out.push('-');
    push_2(out, m);
    out.push('-');
    push_2(out, d);
    out.push('T');
    push_2(out, secs / 3600);
    out.push(':');
    push_2(out, secs / 60 % 60);
    out.push(':');
    push_2(out, secs % 60);
    out.push('Z');
}

/// RFC 3339 UTC to the second with `Z`, e.g. `2025-02-13T08:06:44Z` (proleptic Gregorian).
///
/// RFC 3339 has four-digit years only, so instants outside 0000-01-01T00:00:00Z ..=
/// 9999-12-31T23:59:59Z are clamped to those ends: the output is always something
/// [`parse_rfc3339`] accepts.
pub fn rfc3339(unix_seconds: i64) -> String {
    let mut out = String::with_capacity(20);
    push_rfc3339(&mut out, unix_seconds);
    out
}

fn digits(b: &[u8]) -> Option<u32> {
    let mut n = 0u32;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u32::from(c - b'0');
    }
    Some(n)
}

fn unix_seconds(y: i64, m: u32, d: u32, hh: u32, mm: u32, ss: u32) -> Option<i64> {
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) || hh > 23 || mm > 59 || ss > 59 {
        return None;
    }
    Some(days_from_civil(y, m, d) * 86_400 + i64::from(hh * 3600 + mm * 60 + ss))
}
/// The strict inverse of [`rfc3339`]: only `YYYY-MM-DDTHH:MM:SSZ` with a real date and time
/// (no leap second, no fraction, no offset, no lowercase).
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[19] != b'Z'
    {
        return None;
    }
    let y = digits(&b[0..4])?;
    unix_seconds(
        i64::from(y),
        digits(&b[5..7])?,
        digits(&b[8..10])?,
        digits(&b[11..13])?,
        digits(&b[14..16])?,
        digits(&b[17..19])?,
    )
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const LONG_DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

fn month(name: &str) -> Option<u32> {
    MONTHS.iter().position(|m| *m == name).map(|i| i as u32 + 1)
}

/// `HH:MM:SS` → (h, m, s); a leap second 60 is allowed, as HTTP dates allow it.
fn time_of_day(s: &str) -> Option<(u32, u32, u32)> {
    let b = s.as_bytes();
    if b.len() != 8 || b[2] != b':' || b[5] != b':' {
        return None;
    }
    let (h, m, sec) = (digits(&b[0..2])?, digits(&b[3..5])?, digits(&b[6..8])?);
    (h <= 23 && m <= 59 && sec <= 60).then_some((h, m, sec))
}

fn http_instant(y: i64, mon: u32, d: u32, (h, m, s): (u32, u32, u32)) -> Option<i64> {
    // A leap second counts as the first second of the next minute.
    Some(unix_seconds(y, mon, d, h, m, s.min(59))? + i64::from(s == 60))
}

/// Unix seconds of an HTTP date (RFC 9110 §5.6.7): IMF-fixdate, or the obsolete RFC 850 and
/// asctime forms. `now_year` resolves RFC 850's two-digit year.
pub fn parse_http_date(v: &str, now_year: i64) -> Option<i64> {
    // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
    if let Some((day, rest)) = v.split_once(", ") {
        if DAYS.contains(&day) {
            let p: Vec<&str> = rest.split(' ').collect();
            if let [d, mon, y, time, "GMT"] = p[..] {
                if d.len() == 2 && y.len() == 4 {
                    return http_instant(
                        i64::from(digits(y.as_bytes())?),
                        month(mon)?,
                        digits(d.as_bytes())?,
                        time_of_day(time)?,
                    );
                }
            }
            return None;
        }
        // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"
        if LONG_DAYS.contains(&day) {
            let p: Vec<&str> = rest.split(' ').collect();
            if let [date, time, "GMT"] = p[..] {
                let dp: Vec<&str> = date.split('-').collect();
                if let [d, mon, yy] = dp[..] {
                    if d.len() == 2 && yy.len() == 2 {
                        let yy = i64::from(digits(yy.as_bytes())?);
                        let mut y = now_year - now_year.rem_euclid(100) + yy;
                        if y > now_year + 50 {
                            y -= 100;
                        } else if y + 100 <= now_year + 50 {
                            y += 100;
                        }
                        return http_instant(y, month(mon)?, digits(d.as_bytes())?, time_of_day(time)?);
                    }
                }
            }
        }
        return None;
    }
    // asctime: "Sun Nov  6 08:49:37 1994"
    let b = v.as_bytes();
    if b.len() == 24 && DAYS.contains(&&v[0..3]) && b[3] == b' ' && b[7] == b' ' && b[10] == b' ' && b[19] == b' ' {
        let d = match (b[8], b[9]) {
            (b' ', c) => digits(&[c])?,
            (a, c) => digits(&[a, c])?,
        };
        return http_instant(
            i64::from(digits(&b[20..24])?),
            month(&v[4..7])?,
            d,
            time_of_day(&v[11..19])?,
        );
    }
    None
}

/// The UTC year of an instant in Unix ms: what RFC 850's two-digit years are read against.
pub fn year_of_ms(unix_ms: i64) -> i64 {
    civil_from_days(unix_ms.div_euclid(86_400_000)).0
}

#[cfg(test)]
#[path = "time_test.rs"]
mod tests;
