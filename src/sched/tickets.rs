//! Ticket constraints (`rsc_ticket`): a resource that depends on a ticket
//! is banned, stopped, demoted, frozen or has its nodes fenced when the
//! ticket is not granted or is in standby (Pacemaker's
//! pcmk_sched_tickets.c).

use super::error::Unsupported;
use super::fencing;
use super::model::RscIdx;
use super::state::Scheduler;
use crate::cib::{self, Role, Score};

/// What happens to a resource when its ticket is lost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LossPolicy {
    Stop,
    Demote,
    Fence,
    Freeze,
}

/// One resource's dependency on a ticket (`rsc_ticket_t`).
#[derive(Clone, Debug)]
pub struct RscTicket {
    pub id: String,
    /// The constraint's element (for refusals).
    pub elem: crate::xml::ElemId,
    pub rsc: RscIdx,
    pub ticket: String,
    pub loss_policy: LossPolicy,
    /// `Role::Unknown` when the constraint applies whatever the role.
    pub role: Role,
}

/// The loss policy a constraint ends up with: `fence` needs fencing, and
/// without an explicit policy a promoted-role dependency demotes.
pub fn loss_policy(text: Option<&str>, role: Role, stonith_enabled: bool) -> LossPolicy {
    let text = text.map(str::to_ascii_lowercase);
    match text.as_deref() {
        Some("fence") if stonith_enabled => LossPolicy::Fence,
        Some("fence") | Some("stop") => LossPolicy::Stop,
        Some("freeze") => LossPolicy::Freeze,
        Some("demote") => LossPolicy::Demote,
        _ if role == Role::Promoted => LossPolicy::Demote,
        _ => LossPolicy::Stop,
    }
}

/// The role filter: no role or `Started` means any role.
fn ticket_role(role: Option<Role>) -> Role {
    match role {
        None | Some(Role::Started) => Role::Unknown,
        Some(r) => r,
    }
}

impl Scheduler<'_> {
    /// The ticket's state; a ticket absent from the status section is
    /// neither granted nor in standby.
    fn ticket_state(&self, ticket: &str) -> (bool, bool) {
        self.cluster
            .tickets
            .get(ticket)
            .map(|t| (t.granted, t.standby))
            .unwrap_or((false, false))
    }

    /// `pcmk__unpack_rsc_ticket`.
    pub fn unpack_rsc_ticket(&mut self, t: &cib::TicketConstraint) -> Result<(), Unsupported> {
        let Some(ticket) = t.ticket.clone() else {
            return Ok(());
        };
        let el = self.cib.doc.get(t.elem);
        if el.attr("rsc-instance").is_some() {
            return Err(Unsupported::at(
                self.cib,
                t.elem,
                "ticket constraints with rsc-instance",
            ));
        }
        if !t.sets.is_empty() {
            for set in &t.sets {
                for m in &set.members {
                    self.check_plain_ref(m.elem, &m.id)?;
                }
            }
            for set in &t.sets {
                let role = ticket_role(set.role);
                for m in &set.members {
                    // A missing member ends the constraint (earlier
                    // members keep their dependency).
                    let Some(r) = self.constraint_rsc(&m.id) else {
                        return Ok(());
                    };
                    self.rsc_ticket_new(
                        &set.id,
                        t.elem,
                        r,
                        &ticket,
                        role,
                        t.loss_policy.as_deref(),
                    );
                }
            }
            return Ok(());
        }
        let Some(name) = &t.rsc else { return Ok(()) };
        self.check_plain_ref(t.elem, name)?;
        let Some(r) = self.constraint_rsc(name) else {
            return Ok(());
        };
        let role = ticket_role(t.rsc_role);
        self.rsc_ticket_new(&t.id, t.elem, r, &ticket, role, t.loss_policy.as_deref());
        Ok(())
    }

    /// `rsc_ticket_new`: record the dependency and apply it at once if the
    /// ticket is not usable.
    fn rsc_ticket_new(
        &mut self,
        id: &str,
        elem: crate::xml::ElemId,
        r: RscIdx,
        ticket: &str,
        role: Role,
        policy: Option<&str>,
    ) {
        let stonith = self.cluster.options.stonith_enabled;
        let rt = RscTicket {
            id: id.to_owned(),
            elem,
            rsc: r,
            ticket: ticket.to_owned(),
            loss_policy: loss_policy(policy, role, stonith),
            role,
        };
        let (granted, standby) = self.ticket_state(ticket);
        self.rsc_tickets.push(rt.clone());
        if !granted || standby {
            self.constraints_for_ticket(r, &rt);
        }
    }

    /// `constraints_for_ticket`: applied to each primitive below `r`.
    fn constraints_for_ticket(&mut self, r: RscIdx, rt: &RscTicket) {
        let (granted, standby) = self.ticket_state(&rt.ticket);
        if granted && !standby {
            return;
        }
        let children = self.cluster.rsc(r).children.clone();
        if !children.is_empty() {
            for c in children {
                self.constraints_for_ticket(c, rt);
            }
            return;
        }
        let running = self.cluster.rsc(r).running_on.clone();
        let role_matches = rt.role == Role::Unknown || rt.role == self.cluster.rsc(r).role;
        if !granted && !running.is_empty() {
            match rt.loss_policy {
                LossPolicy::Stop => self.ban_for_ticket(r),
                LossPolicy::Demote => {
                    // A promoted-role dependency is enforced when
                    // promotion scores are computed.
                    if rt.role != Role::Promoted {
                        self.ban_for_ticket(r);
                    }
                }
                LossPolicy::Fence => {
                    if !role_matches {
                        return;
                    }
                    self.ban_for_ticket(r);
                    for n in running {
                        fencing::fence_node(self, n, "deadman ticket was lost", false);
                    }
                }
                LossPolicy::Freeze => {
                    if !role_matches {
                        return;
                    }
                    let rsc = self.cluster.rsc_mut(r);
                    rsc.managed = false;
                    rsc.blocked = true;
                }
            }
        } else if rt.role != Role::Promoted || rt.loss_policy == LossPolicy::Stop {
            // Not granted (and not active), or granted but in standby.
            self.ban_for_ticket(r);
        }
    }

    fn ban_for_ticket(&mut self, r: RscIdx) {
        self.trace_mark(super::trace::Label::Unattributed("unpacking constraints"));
        self.resource_location(r, None, Score::MINUS_INFINITY, false);
        self.trace_mark(super::trace::Label::Ticket);
    }

    /// `pcmk__require_promotion_tickets`: a promotable clone whose
    /// promoted-role tickets are not granted, or are in standby, may be
    /// promoted nowhere. Called while promotion scores are merged.
    pub fn require_promotion_tickets(&mut self, r: RscIdx) {
        let lost = self
            .rsc_tickets
            .iter()
            .filter(|rt| rt.rsc == r && rt.role == Role::Promoted)
            .filter(|rt| {
                let (granted, standby) = self.ticket_state(&rt.ticket);
                !granted || standby
            })
            .count();
        for _ in 0..lost {
            self.ban_for_ticket(r);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loss_policy_defaults() {
        assert_eq!(loss_policy(None, Role::Unknown, true), LossPolicy::Stop);
        assert_eq!(loss_policy(None, Role::Promoted, true), LossPolicy::Demote);
        assert_eq!(
            loss_policy(Some("fence"), Role::Unknown, true),
            LossPolicy::Fence
        );
        assert_eq!(
            loss_policy(Some("fence"), Role::Promoted, false),
            LossPolicy::Stop
        );
        assert_eq!(
            loss_policy(Some("Freeze"), Role::Unknown, true),
            LossPolicy::Freeze
        );
        assert_eq!(
            loss_policy(Some("demote"), Role::Unknown, true),
            LossPolicy::Demote
        );
        assert_eq!(
            loss_policy(Some("bogus"), Role::Unpromoted, true),
            LossPolicy::Stop
        );
    }

    #[test]
    fn started_role_means_any() {
        assert_eq!(ticket_role(None), Role::Unknown);
        assert_eq!(ticket_role(Some(Role::Started)), Role::Unknown);
        assert_eq!(ticket_role(Some(Role::Promoted)), Role::Promoted);
    }
}
