//! Pacemaker scores: integers saturating at ±1,000,000 (INFINITY), where
//! -INFINITY dominates +INFINITY.

use std::fmt;

pub const INFINITY: i32 = 1_000_000;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Score(pub i32);

impl Score {
    pub const ZERO: Score = Score(0);
    pub const INFINITY: Score = Score(INFINITY);
    pub const MINUS_INFINITY: Score = Score(-INFINITY);

    pub fn is_infinite(self) -> bool {
        self.0.abs() >= INFINITY
    }
    pub fn is_plus_infinity(self) -> bool {
        self.0 >= INFINITY
    }
    pub fn is_minus_infinity(self) -> bool {
        self.0 <= -INFINITY
    }

    /// Pacemaker's score addition: -INFINITY wins over everything, then
    /// +INFINITY, otherwise the sum clamped to ±INFINITY.
    #[allow(clippy::should_implement_trait)]
    pub fn add(self, other: Score) -> Score {
        if self.is_minus_infinity() || other.is_minus_infinity() {
            Score::MINUS_INFINITY
        } else if self.is_plus_infinity() || other.is_plus_infinity() {
            Score::INFINITY
        } else {
            let sum = self.0 as i64 + other.0 as i64;
            Score(sum.clamp(-INFINITY as i64, INFINITY as i64) as i32)
        }
    }

    /// Clamp an arbitrary integer into the score range.
    pub fn clamped(v: i64) -> Score {
        Score(v.clamp(-INFINITY as i64, INFINITY as i64) as i32)
    }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_plus_infinity() {
            f.write_str("INFINITY")
        } else if self.is_minus_infinity() {
            f.write_str("-INFINITY")
        } else {
            write!(f, "{}", self.0)
        }
    }
}

/// How a score string parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScoreParse {
    /// A clean number or INFINITY keyword.
    Exact(Score),
    /// Pacemaker accepts it but something was ignored (trailing junk, or
    /// nothing numeric at all, which Pacemaker reads as 0).
    Lenient(Score),
}

impl ScoreParse {
    pub fn score(self) -> Score {
        match self {
            ScoreParse::Exact(s) | ScoreParse::Lenient(s) => s,
        }
    }
}

/// Node-health colour scores, settable cluster-wide; defaults as Pacemaker's.
#[derive(Clone, Copy, Debug)]
pub struct HealthScores {
    pub red: Score,
    pub yellow: Score,
    pub green: Score,
}

impl Default for HealthScores {
    fn default() -> Self {
        HealthScores {
            red: Score::MINUS_INFINITY,
            yellow: Score::ZERO,
            green: Score::ZERO,
        }
    }
}

/// Parse a score the way Pacemaker reads one (`char2score`): `INFINITY`,
/// `+INFINITY`, `-INFINITY`, health colours (any case), else a leading
/// integer (junk after it is ignored, no digits at all reads as 0),
/// clamped to ±INFINITY. History unpacking and the scheduler read scores
/// through this too, so a CIB's scores mean one thing everywhere.
pub fn parse_score(text: &str, health: &HealthScores) -> ScoreParse {
    let t = text.trim();
    // The keywords only as Pacemaker spells them (`pcmk_str_is_infinity`
    // compares exactly): "infinity" or "inf" read as 0.
    match t {
        "-INFINITY" => return ScoreParse::Exact(Score::MINUS_INFINITY),
        "INFINITY" | "+INFINITY" => return ScoreParse::Exact(Score::INFINITY),
        _ => {}
    }
    for (colour, score) in [
        ("red", health.red),
        ("yellow", health.yellow),
        ("green", health.green),
    ] {
        if t.eq_ignore_ascii_case(colour) {
            return ScoreParse::Exact(score);
        }
    }
    match leading_int(t) {
        None => ScoreParse::Lenient(Score::ZERO),
        Some((value, rest)) => {
            let score = Score::clamped(value);
            if rest.is_empty() {
                ScoreParse::Exact(score)
            } else {
                ScoreParse::Lenient(score)
            }
        }
    }
}

/// `strtoll` in base 10: the integer at the start of `s` (after white
/// space, with an optional sign), saturated where it overflows, and the
/// text after it; `None` when no digit starts it.
pub fn leading_int(s: &str) -> Option<(i64, &str)> {
    let s = s.trim_start();
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    let start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i == start {
        return None;
    }
    let value = s[..i]
        .parse::<i64>()
        .unwrap_or(if b[0] == b'-' { i64::MIN } else { i64::MAX });
    Some((value, &s[i..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(t: &str) -> ScoreParse {
        parse_score(t, &HealthScores::default())
    }

    #[test]
    fn infinity_arithmetic() {
        assert_eq!(
            Score::INFINITY.add(Score::MINUS_INFINITY),
            Score::MINUS_INFINITY
        );
        assert_eq!(
            Score::MINUS_INFINITY.add(Score::INFINITY),
            Score::MINUS_INFINITY
        );
        assert_eq!(Score::INFINITY.add(Score(-999_999)), Score::INFINITY);
        assert_eq!(Score(600_000).add(Score(600_000)), Score::INFINITY);
        assert_eq!(Score(-600_000).add(Score(-600_000)), Score::MINUS_INFINITY);
        assert_eq!(Score(5).add(Score(-7)), Score(-2));
    }

    #[test]
    fn parsing() {
        assert_eq!(s("INFINITY"), ScoreParse::Exact(Score::INFINITY));
        assert_eq!(s("+INFINITY"), ScoreParse::Exact(Score::INFINITY));
        assert_eq!(s("-INFINITY"), ScoreParse::Exact(Score::MINUS_INFINITY));
        // Pacemaker compares the keywords exactly.
        assert_eq!(s("-infinity"), ScoreParse::Lenient(Score::ZERO));
        assert_eq!(s("inf"), ScoreParse::Lenient(Score::ZERO));
        assert_eq!(s(" 7 "), ScoreParse::Exact(Score(7)));
        assert_eq!(s("100"), ScoreParse::Exact(Score(100)));
        assert_eq!(s("-100"), ScoreParse::Exact(Score(-100)));
        assert_eq!(s("5000000"), ScoreParse::Exact(Score::INFINITY));
        assert_eq!(
            s("99999999999999999999999"),
            ScoreParse::Exact(Score::INFINITY)
        );
        assert_eq!(s("12abc"), ScoreParse::Lenient(Score(12)));
        assert_eq!(s("abc"), ScoreParse::Lenient(Score(0)));
        assert_eq!(s("red"), ScoreParse::Exact(Score::MINUS_INFINITY));
    }

    #[test]
    fn display() {
        assert_eq!(Score::INFINITY.to_string(), "INFINITY");
        assert_eq!(Score::MINUS_INFINITY.to_string(), "-INFINITY");
        assert_eq!(Score(42).to_string(), "42");
    }
}
