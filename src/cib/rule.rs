//! Rules (`<rule>`) and their expressions, and their evaluation at an
//! effective time against node attributes and resource/operation context.

use super::role::Role;
use super::score::Score;
use super::time::{Duration, Instant};
use crate::xml::ElemId;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BoolOp {
    And,
    Or,
}

#[derive(Clone, Debug)]
pub struct Rule {
    pub id: String,
    pub elem: ElemId,
    pub boolean_op: BoolOp,
    /// `score` of a location rule.
    pub score: Option<Score>,
    /// `score-attribute`: take the score from this node attribute.
    pub score_attribute: Option<String>,
    pub role: Option<Role>,
    pub exprs: Vec<Expr>,
}

#[derive(Clone, Debug)]
pub enum Expr {
    Attr(AttrExpr),
    Date(DateExpr),
    Rule(Rule),
    Rsc(RscExpr),
    Op(OpExpr),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttrOp {
    Lt,
    Gt,
    Lte,
    Gte,
    Eq,
    Ne,
    Defined,
    NotDefined,
}

impl AttrOp {
    pub fn parse(s: &str) -> Option<AttrOp> {
        Some(match s {
            "lt" => AttrOp::Lt,
            "gt" => AttrOp::Gt,
            "lte" => AttrOp::Lte,
            "gte" => AttrOp::Gte,
            "eq" => AttrOp::Eq,
            "ne" => AttrOp::Ne,
            "defined" => AttrOp::Defined,
            "not_defined" => AttrOp::NotDefined,
            _ => return None,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueType {
    String,
    Integer,
    Number,
    Version,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueSource {
    Literal,
    Param,
    Meta,
}

#[derive(Clone, Debug)]
pub struct AttrExpr {
    pub id: String,
    pub elem: ElemId,
    pub attribute: String,
    pub op: AttrOp,
    pub value: Option<String>,
    pub value_type: Option<ValueType>,
    pub value_source: ValueSource,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateOp {
    InRange,
    Gt,
    Lt,
    DateSpec,
}

#[derive(Clone, Debug, Default)]
pub struct DateSpec {
    /// (field name, inclusive low, inclusive high)
    pub fields: Vec<(String, i64, i64)>,
}

#[derive(Clone, Debug)]
pub struct DateExpr {
    pub id: String,
    pub elem: ElemId,
    pub op: DateOp,
    pub start: Option<Instant>,
    pub end: Option<Instant>,
    pub duration: Option<Duration>,
    pub spec: Option<DateSpec>,
}

#[derive(Clone, Debug)]
pub struct RscExpr {
    pub elem: ElemId,
    pub class: Option<String>,
    pub provider: Option<String>,
    pub kind: Option<String>,
}

#[derive(Clone, Debug)]
pub struct OpExpr {
    pub elem: ElemId,
    pub name: String,
    pub interval_ms: Option<u64>,
}

/// Looks up an attribute by name.
pub type AttrLookup<'a> = dyn Fn(&str) -> Option<String> + 'a;

/// What a rule is evaluated against. Every part is optional; an expression
/// whose context is missing evaluates as Pacemaker does without it.
#[derive(Default)]
pub struct RuleContext<'a> {
    pub now: Option<Instant>,
    pub node_attr: Option<&'a AttrLookup<'a>>,
    pub rsc: Option<(&'a str, Option<&'a str>, &'a str)>,
    pub op: Option<(&'a str, u64)>,
    pub rsc_param: Option<&'a AttrLookup<'a>>,
    pub rsc_meta: Option<&'a AttrLookup<'a>>,
}

impl DateExpr {
    /// The effective end of an in_range expression (end, or start + duration).
    pub fn effective_end(&self) -> Option<Instant> {
        match (self.end, self.start, self.duration) {
            (Some(e), _, _) => Some(e),
            (None, Some(s), Some(d)) => Some(s.plus(d)),
            _ => None,
        }
    }

    pub fn eval(&self, now: Instant) -> bool {
        match self.op {
            DateOp::InRange => {
                if let Some(s) = self.start {
                    if now < s {
                        return false;
                    }
                }
                match self.effective_end() {
                    Some(e) => now <= e,
                    None => self.start.is_some(),
                }
            }
            DateOp::Gt => self.start.is_some_and(|s| now > s),
            DateOp::Lt => self.end.is_some_and(|e| now < e),
            DateOp::DateSpec => self.spec.as_ref().is_some_and(|s| s.matches(now)),
        }
    }

    /// True when the expression can never be satisfied at or after `now`.
    pub fn expired_at(&self, now: Instant) -> bool {
        match self.op {
            DateOp::InRange => self.effective_end().is_some_and(|e| e < now),
            DateOp::Lt => self.end.is_some_and(|e| e <= now),
            _ => false,
        }
    }
}

impl DateSpec {
    pub fn matches(&self, now: Instant) -> bool {
        let c = now.civil();
        self.fields.iter().all(|(name, lo, hi)| {
            let v: i64 = match name.as_str() {
                "years" => c.year,
                "months" => c.month as i64,
                "monthdays" => c.day as i64,
                "weekdays" => c.weekday as i64,
                "yeardays" => c.yearday as i64,
                "hours" => c.hour as i64,
                "minutes" => c.minute as i64,
                "seconds" => c.second as i64,
                "weekyears" => c.weekyear,
                "weeks" => c.week as i64,
                "moon" => moon_phase(c.year, c.yearday),
                _ => return true,
            };
            *lo <= v && v <= *hi
        })
    }
}

/// The phase of the moon (0..=7) by the classic epact approximation, as
/// Pacemaker computes it for date specs.
fn moon_phase(year: i64, yearday: u32) -> i64 {
    let golden = (year % 19) + 1;
    let mut epact = (11 * golden + 18) % 30;
    if (epact == 25 && golden > 11) || epact == 24 {
        epact += 1;
    }
    (((((yearday as i64 + epact) * 6) + 11) % 177) / 22) & 7
}

impl Rule {
    pub fn eval(&self, ctx: &RuleContext<'_>) -> bool {
        if self.exprs.is_empty() {
            return true;
        }
        let mut it = self.exprs.iter().map(|e| e.eval(ctx));
        match self.boolean_op {
            BoolOp::And => it.all(|b| b),
            BoolOp::Or => it.any(|b| b),
        }
    }

    /// True when date expressions alone make the rule unsatisfiable from
    /// `now` on (an `and` with an expired date, or an `or` of only expired
    /// dates).
    pub fn expired_at(&self, now: Instant) -> bool {
        let expired = |e: &Expr| match e {
            Expr::Date(d) => d.expired_at(now),
            Expr::Rule(r) => r.expired_at(now),
            _ => false,
        };
        match self.boolean_op {
            BoolOp::And => self.exprs.iter().any(expired),
            BoolOp::Or => !self.exprs.is_empty() && self.exprs.iter().all(expired),
        }
    }

    /// The date expressions of this rule and its nested rules.
    pub fn date_exprs(&self) -> Vec<&DateExpr> {
        let mut out = Vec::new();
        for e in &self.exprs {
            match e {
                Expr::Date(d) => out.push(d),
                Expr::Rule(r) => out.extend(r.date_exprs()),
                _ => {}
            }
        }
        out
    }
}

impl Expr {
    pub fn eval(&self, ctx: &RuleContext<'_>) -> bool {
        match self {
            Expr::Rule(r) => r.eval(ctx),
            Expr::Date(d) => match ctx.now {
                Some(now) => d.eval(now),
                None => false,
            },
            Expr::Attr(a) => a.eval(ctx),
            Expr::Rsc(r) => match ctx.rsc {
                Some((class, provider, kind)) => {
                    r.class.as_deref().is_none_or(|c| c == class)
                        && r.provider.as_deref().is_none_or(|p| Some(p) == provider)
                        && r.kind.as_deref().is_none_or(|k| k == kind)
                }
                None => true,
            },
            Expr::Op(o) => match ctx.op {
                Some((name, interval)) => {
                    o.name == name && o.interval_ms.is_none_or(|i| i == interval)
                }
                None => true,
            },
        }
    }
}

impl AttrExpr {
    pub fn eval(&self, ctx: &RuleContext<'_>) -> bool {
        let actual = ctx.node_attr.and_then(|f| f(&self.attribute));
        let expected = match self.value_source {
            ValueSource::Literal => self.value.clone(),
            ValueSource::Param => {
                let key = self.value.as_deref().unwrap_or_default();
                ctx.rsc_param.and_then(|f| f(key))
            }
            ValueSource::Meta => {
                let key = self.value.as_deref().unwrap_or_default();
                ctx.rsc_meta.and_then(|f| f(key))
            }
        };
        match self.op {
            AttrOp::Defined => return actual.is_some(),
            AttrOp::NotDefined => return actual.is_none(),
            _ => {}
        }
        let (Some(actual), Some(expected)) = (actual, expected) else {
            // A missing side only satisfies `ne`.
            return self.op == AttrOp::Ne;
        };
        let ty = self.value_type.unwrap_or(match self.op {
            AttrOp::Lt | AttrOp::Gt | AttrOp::Lte | AttrOp::Gte => {
                if actual.contains('.') || expected.contains('.') {
                    ValueType::Number
                } else {
                    ValueType::Integer
                }
            }
            _ => ValueType::String,
        });
        let ord = compare_values(ty, &actual, &expected);
        use std::cmp::Ordering::*;
        match (self.op, ord) {
            (AttrOp::Eq, Some(o)) => o == Equal,
            (AttrOp::Ne, Some(o)) => o != Equal,
            (AttrOp::Ne, None) => true,
            (AttrOp::Lt, Some(o)) => o == Less,
            (AttrOp::Lte, Some(o)) => o != Greater,
            (AttrOp::Gt, Some(o)) => o == Greater,
            (AttrOp::Gte, Some(o)) => o != Less,
            _ => false,
        }
    }
}

fn compare_values(ty: ValueType, a: &str, b: &str) -> Option<std::cmp::Ordering> {
    // Pacemaker compares as strings when either side does not parse as
    // the type asked for (rule-dbl-parse-fail-default-str-match).
    let as_strings = || compare_values(ValueType::String, a, b);
    match ty {
        ValueType::String => Some(a.to_ascii_lowercase().cmp(&b.to_ascii_lowercase())),
        ValueType::Integer => match (leading_int(a), leading_int(b)) {
            (Some(pa), Some(pb)) => Some(pa.cmp(&pb)),
            _ => as_strings(),
        },
        ValueType::Number => match (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
            (Ok(pa), Ok(pb)) => pa.partial_cmp(&pb),
            _ => as_strings(),
        },
        ValueType::Version => Some(compare_versions(a, b)),
    }
}

fn leading_int(s: &str) -> Option<i64> {
    let t = s.trim();
    let end = t
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || (i == 0 && (c == '-' || c == '+'))))
        .map(|(i, _)| i)
        .unwrap_or(t.len());
    t[..end].parse().ok()
}

/// Compare dotted version strings numerically, field by field.
pub fn compare_versions(a: &str, b: &str) -> std::cmp::Ordering {
    let fa: Vec<i64> = a.split('.').map(|p| leading_int(p).unwrap_or(0)).collect();
    let fb: Vec<i64> = b.split('.').map(|p| leading_int(p).unwrap_or(0)).collect();
    let n = fa.len().max(fb.len());
    for i in 0..n {
        let x = fa.get(i).copied().unwrap_or(0);
        let y = fb.get(i).copied().unwrap_or(0);
        if x != y {
            return x.cmp(&y);
        }
    }
    std::cmp::Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cib::time::{parse_duration, parse_instant};

    fn attr(op: AttrOp, value: &str, ty: Option<ValueType>) -> AttrExpr {
        AttrExpr {
            id: "e".into(),
            elem: ElemId(0),
            attribute: "a".into(),
            op,
            value: Some(value.into()),
            value_type: ty,
            value_source: ValueSource::Literal,
        }
    }

    #[test]
    fn attribute_comparisons() {
        let lookup = |n: &str| (n == "a").then(|| "10".to_string());
        let ctx = RuleContext {
            node_attr: Some(&lookup),
            ..Default::default()
        };
        assert!(attr(AttrOp::Gt, "9", None).eval(&ctx)); // integer, not string order
        assert!(!attr(AttrOp::Gt, "9", Some(ValueType::String)).eval(&ctx));
        assert!(attr(AttrOp::Eq, "10", None).eval(&ctx));
        assert!(attr(AttrOp::Lte, "10.0", None).eval(&ctx));
        assert!(attr(AttrOp::Ne, "11", None).eval(&ctx));
        let mut missing = attr(AttrOp::Eq, "x", None);
        missing.attribute = "b".into();
        assert!(!missing.eval(&ctx));
        missing.op = AttrOp::NotDefined;
        assert!(missing.eval(&ctx));
        assert_eq!(compare_versions("1.10", "1.9"), std::cmp::Ordering::Greater);
    }

    #[test]
    fn unparsable_numbers_compare_as_strings() {
        let lookup = |n: &str| (n == "a").then(|| "as2.0".to_string());
        let ctx = RuleContext {
            node_attr: Some(&lookup),
            ..Default::default()
        };
        // "as2.0" > "as10.0" as strings ('2' after '1'); never as numbers.
        assert!(attr(AttrOp::Gt, "as10.0", Some(ValueType::Number)).eval(&ctx));
        assert!(!attr(AttrOp::Lt, "as10.0", Some(ValueType::Number)).eval(&ctx));
        assert!(attr(AttrOp::Gt, "as10", Some(ValueType::Integer)).eval(&ctx));
    }

    fn date(op: DateOp, start: Option<&str>, end: Option<&str>, dur: Option<&str>) -> DateExpr {
        DateExpr {
            id: "d".into(),
            elem: ElemId(0),
            op,
            start: start.and_then(parse_instant),
            end: end.and_then(parse_instant),
            duration: dur.and_then(parse_duration),
            spec: None,
        }
    }

    #[test]
    fn date_expressions() {
        let now = parse_instant("2020-06-15 12:00:00").unwrap();
        assert!(date(
            DateOp::InRange,
            Some("2020-01-01"),
            Some("2020-12-31"),
            None
        )
        .eval(now));
        assert!(!date(DateOp::InRange, Some("2021-01-01"), None, Some("P1M")).eval(now));
        assert!(date(DateOp::InRange, Some("2020-06-01"), None, Some("P1M")).eval(now));
        assert!(date(DateOp::Gt, Some("2020-06-15 11:59:59"), None, None).eval(now));
        assert!(!date(DateOp::Lt, None, Some("2020-06-15 12:00:00"), None).eval(now));
        assert!(date(DateOp::Lt, None, Some("2020-01-01"), None).expired_at(now));
        assert!(!date(DateOp::Gt, Some("2020-01-01"), None, None).expired_at(now));
        let spec = DateExpr {
            spec: Some(DateSpec {
                fields: vec![("hours".into(), 9, 17), ("weekdays".into(), 1, 5)],
            }),
            ..date(DateOp::DateSpec, None, None, None)
        };
        assert!(spec.eval(now)); // a Monday at noon
        assert!(!spec.eval(parse_instant("2020-06-14 12:00:00").unwrap())); // Sunday
    }
}
