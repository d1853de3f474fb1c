//! Where allocation scores came from, for `cibcheck explain`.
//!
//! When asked (`Scheduler::trace_on`), the scheduler marks each step that
//! can change a watched resource's node scores (a location, stickiness, a
//! colocation…); at each mark the watched tables are compared with their
//! state at the previous mark and every changed node score becomes one
//! [`Step`] labelled with what was just applied. Changes between two marks
//! that no label covers are recorded as [`Label::Unattributed`], never
//! guessed. When tracing is off a mark costs one branch.
//!
//! Each recorded step keeps the score before and after, so folding the
//! steps with Pacemaker's score arithmetic gives back the final score
//! exactly (see [`fold`]).

use super::model::{NodeIdx, RscIdx};
use super::state::{ColocId, Scheduler};
use crate::cib::score::INFINITY;
use crate::cib::Score;
use std::collections::BTreeMap;

/// What a step applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Label {
    /// The tables as unpacking left them (symmetric default, node weight,
    /// bans the history implied).
    Initial,
    /// A location constraint, by index into `Scheduler::locations`.
    Location(usize),
    /// `resource-stickiness` on the node the resource is active on.
    Stickiness,
    /// The fail count reached `migration-threshold`.
    FailThreshold,
    /// A `resource-discovery=exclusive` location elsewhere.
    ExclusiveDiscovery,
    /// A colocation applied for the resource as its dependent.
    ThisWith(ColocId),
    /// A colocation whose dependent's preferences were merged into the
    /// primary's table.
    WithThis(ColocId),
    /// A colocation undone because it left no node available.
    Reverted(ColocId),
    /// The resource's next role is Stopped: every node banned.
    RoleStopped,
    /// A ticket the resource depends on is not granted (or in standby).
    Ticket,
    /// A clone instance may not run on the node: the node cannot run
    /// resources, the clone may not run there, or the node already has
    /// `clone-node-max` instances (or the clone `clone-max`).
    InstanceLimit,
    /// Nodes without enough capacity (`placement-strategy`).
    Utilization,
    /// A change no label covers, at this stage of scheduling.
    Unattributed(&'static str),
}

/// One node score changed by one labelled step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    pub rsc: RscIdx,
    pub node: NodeIdx,
    pub label: Label,
    /// `None`: the node was not in the table yet.
    pub before: Option<Score>,
    /// `None`: the node left the table.
    pub after: Option<Score>,
}

/// How a step changes the score, in Pacemaker's arithmetic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Added to the score (`pcmk__add_scores`).
    Add(Score),
    /// The score was replaced (a table restored, a node entered or left).
    Set(Option<Score>),
}

impl Step {
    pub fn effect(&self) -> Effect {
        match (self.before, self.after) {
            (Some(b), Some(a)) => {
                let finite = |s: Score| s.0.abs() < INFINITY;
                if finite(b) && finite(a) {
                    Effect::Add(Score(a.0 - b.0))
                } else if a.0.abs() >= INFINITY && b.add(a) == a {
                    Effect::Add(a)
                } else if b.0.abs() >= INFINITY && b == a {
                    Effect::Add(Score::ZERO)
                } else {
                    Effect::Set(Some(a))
                }
            }
            (_, a) => Effect::Set(a),
        }
    }
}

/// The score the effects give, applied in order from no entry.
pub fn fold<'a>(effects: impl IntoIterator<Item = &'a Effect>) -> Option<Score> {
    let mut score = None;
    for e in effects {
        score = match *e {
            Effect::Add(d) => Some(score.unwrap_or(Score::ZERO).add(d)),
            Effect::Set(s) => s,
        };
    }
    score
}

/// A table as `crm_simulate -s` printed it: the step count then, so the
/// steps that made it are `steps[..steps_before]`.
#[derive(Clone, Debug)]
pub struct Printed {
    pub rsc: RscIdx,
    pub function: &'static str,
    pub steps_before: usize,
    pub scores: BTreeMap<NodeIdx, Score>,
}

/// The recorded trace.
#[derive(Clone, Debug, Default)]
pub struct Trace {
    watched: Vec<RscIdx>,
    last: BTreeMap<RscIdx, BTreeMap<NodeIdx, Score>>,
    pub steps: Vec<Step>,
    pub printed: Vec<Printed>,
}

impl Scheduler<'_> {
    /// Trace the node scores of `watched` from now on.
    pub fn trace_on(&mut self, watched: Vec<RscIdx>) {
        self.trace = Some(Box::new(Trace {
            watched,
            ..Default::default()
        }));
    }

    /// Attribute every change of a watched table since the last mark to
    /// `label`.
    #[inline]
    pub fn trace_mark(&mut self, label: Label) {
        if self.trace.is_some() {
            self.trace_diff(label);
        }
    }

    fn trace_diff(&mut self, label: Label) {
        let Some(mut t) = self.trace.take() else {
            return;
        };
        for &r in &t.watched.clone() {
            let now: BTreeMap<NodeIdx, Score> = self.rs[r.i()]
                .allowed
                .iter()
                .map(|(n, a)| (*n, a.weight))
                .collect();
            let prev = t.last.remove(&r).unwrap_or_default();
            for (n, s) in &now {
                let before = prev.get(n).copied();
                if before != Some(*s) {
                    t.steps.push(Step {
                        rsc: r,
                        node: *n,
                        label,
                        before,
                        after: Some(*s),
                    });
                }
            }
            for (n, s) in &prev {
                if !now.contains_key(n) {
                    t.steps.push(Step {
                        rsc: r,
                        node: *n,
                        label,
                        before: Some(*s),
                        after: None,
                    });
                }
            }
            t.last.insert(r, now);
        }
        self.trace = Some(t);
    }

    /// A score table is printed for `r` and its descendants.
    pub(super) fn trace_printed(&mut self, function: &'static str, r: RscIdx) {
        if self.trace.is_none() {
            return;
        }
        self.trace_diff(Label::Unattributed("assignment"));
        let mut stack = vec![r];
        while let Some(x) = stack.pop() {
            stack.extend(self.cluster.rsc(x).children.iter().copied());
            let Some(t) = self.trace.as_mut() else { return };
            if !t.watched.contains(&x) || self.cluster.rsc(x).orphan {
                continue;
            }
            let scores = self.rs[x.i()]
                .allowed
                .iter()
                .map(|(n, a)| (*n, a.weight))
                .collect();
            let steps_before = t.steps.len();
            t.printed.push(Printed {
                rsc: x,
                function,
                steps_before,
                scores,
            });
        }
    }

    /// The recorded trace (tracing stops).
    pub fn take_trace(&mut self) -> Option<Trace> {
        self.trace.take().map(|b| *b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(before: Option<i32>, after: Option<i32>) -> Step {
        Step {
            rsc: RscIdx(0),
            node: NodeIdx(0),
            label: Label::Initial,
            before: before.map(Score),
            after: after.map(Score),
        }
    }

    #[test]
    fn folding_effects_gives_back_the_last_score() {
        // Chains of scores as a table can go through them, with
        // saturation and -INFINITY winning.
        let chains: &[&[Option<i32>]] = &[
            &[None, Some(0), Some(100), Some(-INFINITY), Some(-INFINITY)],
            &[None, Some(5), Some(INFINITY), Some(-INFINITY)],
            &[None, Some(INFINITY), Some(3), None, Some(7)],
            &[
                None,
                Some(-20),
                Some(999_999),
                Some(INFINITY),
                Some(INFINITY),
            ],
        ];
        for chain in chains {
            let steps: Vec<Step> = chain.windows(2).map(|w| step(w[0], w[1])).collect();
            let effects: Vec<Effect> = steps.iter().map(Step::effect).collect();
            assert_eq!(fold(&effects), chain.last().copied().flatten().map(Score));
        }
    }

    #[test]
    fn a_saturating_addition_is_an_addition_not_a_reset() {
        assert_eq!(
            step(Some(100), Some(INFINITY)).effect(),
            Effect::Add(Score(INFINITY))
        );
        assert_eq!(
            step(Some(5), Some(-INFINITY)).effect(),
            Effect::Add(Score(-INFINITY))
        );
        assert_eq!(
            step(Some(INFINITY), Some(5)).effect(),
            Effect::Set(Some(Score(5)))
        );
    }
}
