//! Instants and durations as CIB date expressions and `--now` use them
//! (ISO 8601: calendar, ordinal and week dates, times, offsets, durations).
//! Instants are seconds since the Unix epoch, in UTC.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(pub i64);

/// An ISO 8601 duration; months and years are calendar units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Duration {
    pub years: i64,
    pub months: i64,
    pub seconds: i64,
}

/// Broken-down UTC calendar fields of an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    /// 1 = Monday … 7 = Sunday
    pub weekday: u32,
    /// 1-based day of the year
    pub yearday: u32,
    /// ISO week-numbering year and week
    pub weekyear: i64,
    pub week: u32,
}

pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

pub fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

pub fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

/// Monday of ISO week 1 of `year`, as days since the epoch.
fn iso_week1_monday(year: i64) -> i64 {
    let jan4 = days_from_civil(year, 1, 4);
    let wd = weekday_of(jan4); // 1..=7
    jan4 - (wd as i64 - 1)
}

fn weekday_of(days: i64) -> u32 {
    // 1970-01-01 was a Thursday (4).
    (((days % 7) + 7 + 3) % 7 + 1) as u32
}

impl Instant {
    pub fn civil(self) -> Civil {
        let days = self.0.div_euclid(86_400);
        let secs = self.0.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        let weekday = weekday_of(days);
        let yearday = (days - days_from_civil(year, 1, 1) + 1) as u32;
        let mut weekyear = year;
        if days < iso_week1_monday(year) {
            weekyear -= 1;
        } else if days >= iso_week1_monday(year + 1) {
            weekyear += 1;
        }
        let week = ((days - iso_week1_monday(weekyear)) / 7 + 1) as u32;
        Civil {
            year,
            month,
            day,
            hour: (secs / 3600) as u32,
            minute: ((secs % 3600) / 60) as u32,
            second: (secs % 60) as u32,
            weekday,
            yearday,
            weekyear,
            week,
        }
    }

    pub fn plus(self, d: Duration) -> Instant {
        let c = self.civil();
        let total_months = c.year * 12 + (c.month as i64 - 1) + d.years * 12 + d.months;
        let year = total_months.div_euclid(12);
        let month = (total_months.rem_euclid(12) + 1) as u32;
        let day = c.day.min(days_in_month(year, month));
        let secs = self.0.rem_euclid(86_400);
        let base = days_from_civil(year, month, day) * 86_400 + secs;
        Instant(base.saturating_add(d.seconds))
    }

    pub fn minus(self, d: Duration) -> Instant {
        self.plus(Duration {
            years: -d.years,
            months: -d.months,
            seconds: -d.seconds,
        })
    }

    /// The current wall-clock time.
    pub fn now() -> Instant {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Instant(secs)
    }
}

impl fmt::Display for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = self.civil();
        write!(
            f,
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}Z",
            c.year, c.month, c.day, c.hour, c.minute, c.second
        )
    }
}

fn num(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Parse the date part: `YYYY-MM-DD`, `YYYYMMDD`, `YYYY-DDD`, `YYYY-Www-D`.
fn parse_date(s: &str) -> Option<i64> {
    let parts: Vec<&str> = s.split('-').collect();
    match parts.as_slice() {
        [y, w, d] if w.starts_with('W') => {
            let (y, w, d) = (num(y)?, num(&w[1..])?, num(d)?);
            if !(1..=53).contains(&w) || !(1..=7).contains(&d) {
                return None;
            }
            Some(iso_week1_monday(y) + (w - 1) * 7 + (d - 1))
        }
        [y, m, d] => {
            let (y, m, d) = (num(y)?, num(m)?, num(d)?);
            if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m as u32) as i64 {
                return None;
            }
            Some(days_from_civil(y, m as u32, d as u32))
        }
        [y, doy] if doy.len() == 3 => {
            let (y, doy) = (num(y)?, num(doy)?);
            let max = if is_leap(y) { 366 } else { 365 };
            if !(1..=max).contains(&doy) {
                return None;
            }
            Some(days_from_civil(y, 1, 1) + doy - 1)
        }
        [compact] if compact.len() == 8 => {
            let (y, m, d) = (
                num(&compact[..4])?,
                num(&compact[4..6])?,
                num(&compact[6..])?,
            );
            if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m as u32) as i64 {
                return None;
            }
            Some(days_from_civil(y, m as u32, d as u32))
        }
        _ => None,
    }
}

/// Parse `HH:MM[:SS][Z|±HH[:MM]]`, returning seconds of day minus the offset.
fn parse_time(s: &str) -> Option<i64> {
    let (clock, offset) = if let Some(stripped) = s.strip_suffix('Z') {
        (stripped, 0)
    } else if let Some(pos) = s.rfind(['+', '-']) {
        let (c, o) = s.split_at(pos);
        let sign = if o.starts_with('-') { -1 } else { 1 };
        let o = &o[1..];
        let (oh, om) = match o.split_once(':') {
            Some((h, m)) => (num(h)?, num(m)?),
            None if o.len() == 4 => (num(&o[..2])?, num(&o[2..])?),
            None => (num(o)?, 0),
        };
        (c.trim_end(), sign * (oh * 3600 + om * 60))
    } else {
        (s, 0)
    };
    let fields: Vec<&str> = if clock.contains(':') {
        clock.split(':').collect()
    } else if clock.len() == 6 {
        vec![&clock[..2], &clock[2..4], &clock[4..]]
    } else {
        vec![clock]
    };
    let h = num(fields.first()?)?;
    let m = fields.get(1).map(|v| num(v)).unwrap_or(Some(0))?;
    let sec_field = fields.get(2).copied().unwrap_or("0");
    let sec = num(sec_field.split('.').next().unwrap_or("0"))?;
    if h > 24 || m > 59 || sec > 60 || fields.len() > 3 {
        return None;
    }
    Some(h * 3600 + m * 60 + sec - offset)
}

/// Parse an ISO 8601 instant as Pacemaker accepts it: a date, optionally
/// followed by `T` or a space and a time. No offset means UTC.
pub fn parse_instant(text: &str) -> Option<Instant> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    let (date, time) = match t.find(['T', ' ']) {
        Some(p) => (&t[..p], Some(t[p + 1..].trim())),
        None => (t, None),
    };
    let days = parse_date(date)?;
    let secs = match time {
        Some(tm) if !tm.is_empty() => parse_time(tm)?,
        _ => 0,
    };
    Some(Instant(days * 86_400 + secs))
}

/// Parse an ISO 8601 duration such as `P1Y2M3DT4H5M6S`, `PT30M` or `P2W`.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let t = text.trim();
    let rest = t.strip_prefix('P')?;
    let mut d = Duration::default();
    let mut in_time = false;
    let mut digits = String::new();
    let mut any = false;
    for c in rest.chars() {
        match c {
            'T' => {
                if !digits.is_empty() {
                    return None;
                }
                in_time = true;
            }
            '0'..='9' => digits.push(c),
            unit => {
                let n: i64 = digits.parse().ok()?;
                digits.clear();
                any = true;
                match (unit, in_time) {
                    ('Y', false) => d.years += n,
                    ('M', false) => d.months += n,
                    ('W', false) => d.seconds += n * 7 * 86_400,
                    ('D', false) => d.seconds += n * 86_400,
                    // Pacemaker also takes hours and seconds without the `T`.
                    ('H', _) => d.seconds += n * 3600,
                    ('M', true) => d.minutes_to_seconds(n),
                    ('S', _) => d.seconds += n,
                    _ => return None,
                }
            }
        }
    }
    (any && digits.is_empty()).then_some(d)
}

impl Duration {
    fn minutes_to_seconds(&mut self, n: i64) {
        self.seconds += n * 60;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants() {
        assert_eq!(parse_instant("1970-01-01"), Some(Instant(0)));
        assert_eq!(parse_instant("1970-01-02 00:00:01"), Some(Instant(86_401)));
        assert_eq!(parse_instant("1970-01-01T01:00:00+01:00"), Some(Instant(0)));
        assert_eq!(parse_instant("1970-01-01T00:00:00Z"), Some(Instant(0)));
        assert_eq!(
            parse_instant("1970-01-01 01:00:00 +01:00"),
            Some(Instant(0))
        );
        assert_eq!(parse_instant("1970-001"), Some(Instant(0)));
        assert_eq!(parse_instant("2009-W01-1"), parse_instant("2008-12-29"));
        assert_eq!(parse_instant("2013-02-30"), None);
        assert_eq!(parse_instant("junk"), None);
    }

    #[test]
    fn durations_and_calendar_arithmetic() {
        let d = parse_duration("P1Y2M3DT4H5M6S").unwrap();
        assert_eq!(d.years, 1);
        assert_eq!(d.months, 2);
        assert_eq!(d.seconds, 3 * 86_400 + 4 * 3600 + 5 * 60 + 6);
        let jan31 = parse_instant("2021-01-31").unwrap();
        assert_eq!(
            jan31.plus(parse_duration("P1M").unwrap()),
            parse_instant("2021-02-28").unwrap()
        );
        assert_eq!(parse_duration("P"), None);
        assert_eq!(parse_duration("P10S").map(|d| d.seconds), Some(10));
        assert_eq!(parse_duration("1D"), None);
    }

    #[test]
    fn civil_fields() {
        let c = parse_instant("2008-12-29 13:14:15").unwrap().civil();
        assert_eq!((c.year, c.month, c.day), (2008, 12, 29));
        assert_eq!((c.hour, c.minute, c.second), (13, 14, 15));
        assert_eq!(c.weekday, 1);
        assert_eq!((c.weekyear, c.week), (2009, 1));
        assert_eq!(c.yearday, 364);
    }
}
