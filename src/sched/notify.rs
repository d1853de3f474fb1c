//! Clone notifications (`notify=true`), after Pacemaker's pe_notif.c.
//!
//! For each clone action that notifications cover (start, stop, and for
//! promotable clones promote and demote) the clone gets four pseudo-actions:
//! `CLONE_pre_notify_TASK_0` → `CLONE_confirmed-pre_notify_TASK_0` → the
//! clone action → its completion pseudo-action (`running`, `stopped`…) →
//! `CLONE_post_notify_DONE_0` → `CLONE_confirmed-post_notify_DONE_0`. While
//! the graph is built, each instance gets `notify` resource actions between
//! the pre (and post) pair on the nodes where it is active or going to be.

use super::action::{af, of, ActionId};
use super::model::{NodeIdx, RscIdx, Variant};
use super::state::Scheduler;
use crate::cib::Role;

/// The tasks notifications can cover, in the order Pacemaker creates the
/// notify actions for them while building the graph (`clone_expand`).
const NOTIFY_TASKS: [&str; 4] = ["start", "stop", "promote", "demote"];

/// `notify_data_t`: one clone action's notification pseudo-actions.
#[derive(Clone, Debug)]
pub struct NotifyData {
    /// The clone action notified about (`start`, `stop`, `promote`, `demote`).
    pub task: String,
    pub pre: Option<ActionId>,
    pub pre_done: Option<ActionId>,
    pub post: Option<ActionId>,
    pub post_done: Option<ActionId>,
}

/// Which instance actions a notification reports (the non-empty lists of
/// `collect_resource_data`); only their presence matters here.
#[derive(Clone, Copy, Debug, Default)]
struct Activity {
    start: bool,
    stop: bool,
    promote: bool,
    demote: bool,
}

impl Activity {
    fn has(&self, task: &str) -> bool {
        match task {
            "start" => self.start,
            "stop" => self.stop,
            "promote" => self.promote,
            "demote" => self.demote,
            _ => false,
        }
    }
}

/// `pcmk__notify_key`: `RSC_TYPE_notify_TASK_0`.
pub fn notify_key(rsc: &str, notif_type: &str, task: &str) -> String {
    format!("{rsc}_{notif_type}_notify_{task}_0")
}

/// The task a notify/notified key is about: the word between the last two
/// underscores (`clone_confirmed-post_notify_running_0` → `running`), as
/// `clone_child_action` extracts it.
pub fn notified_task(uuid: &str) -> Option<&str> {
    let (rest, _) = uuid.rsplit_once('_')?;
    let (_, task) = rest.rsplit_once('_')?;
    Some(task)
}

impl Scheduler<'_> {
    /// `pe__clone_notif_pseudo_ops`: the notification pseudo-actions for a
    /// clone action `action` (pre pair) and its completion `complete` (post
    /// pair), kept with the clone until the graph is built. Nothing when the
    /// clone does not want notifications.
    pub fn clone_notif_pseudo_ops(
        &mut self,
        r: RscIdx,
        task: &str,
        action: Option<ActionId>,
        complete: Option<ActionId>,
    ) -> Option<NotifyData> {
        let n = self.notif_pseudo_ops(r, task, action, complete)?;
        self.rs[r.i()].notify.push(n.clone());
        Some(n)
    }

    /// The pseudo-actions of [`Self::clone_notif_pseudo_ops`], not kept.
    fn notif_pseudo_ops(
        &mut self,
        r: RscIdx,
        task: &str,
        action: Option<ActionId>,
        complete: Option<ActionId>,
    ) -> Option<NotifyData> {
        if !self.cluster.rsc(r).notify {
            return None;
        }
        let mut n = NotifyData {
            task: task.to_owned(),
            pre: None,
            pre_done: None,
            post: None,
            post_done: None,
        };
        if let Some(act) = action {
            let pre = self.notify_pseudo(r, act, "notify", "pre", task);
            self.am(pre).set(af::RUNNABLE);
            let pre_done = self.notify_pseudo(r, act, "notified", "confirmed-pre", task);
            self.am(pre_done).set(af::RUNNABLE);
            self.order_actions(pre, pre_done, of::OPTIONAL);
            self.order_actions(pre_done, act, of::OPTIONAL);
            n.pre = Some(pre);
            n.pre_done = Some(pre_done);
        }
        if let Some(done) = complete {
            let runnable = self.a(done).is_runnable();
            let post = self.notify_pseudo(r, done, "notify", "post", task);
            let post_done = self.notify_pseudo(r, done, "notified", "confirmed-post", task);
            for a in [post, post_done] {
                if runnable {
                    self.am(a).set(af::RUNNABLE);
                } else {
                    self.am(a).clear(af::RUNNABLE);
                }
            }
            self.order_actions(done, post, of::IMPLIES_THEN);
            self.order_actions(post, post_done, of::IMPLIES_THEN);
            n.post = Some(post);
            n.post_done = Some(post_done);
        }
        if let (Some(pre_done), Some(post)) = (n.pre_done, n.post) {
            self.order_actions(pre_done, post, of::OPTIONAL);
        }
        Some(n)
    }

    /// `pe__order_notifs_after_fencing`: a stop implied by fencing gets its
    /// own post-notification pair after the fencing (keyed by the instance
    /// and the fencing, `INSTANCE_post_notify_stonith_0`), and the clone's
    /// other instances are notified of it right away.
    pub fn order_notifs_after_fencing(&mut self, r: RscIdx, fence: ActionId) {
        let Some(n) = self.notif_pseudo_ops(r, "stop", None, Some(fence)) else {
            return;
        };
        // (Inside a bundle, the top is the bundle's clone.)
        let top = self.cluster.top_of(r);
        self.create_notify_actions(top, &n, &Activity::default());
    }

    /// `new_notify_pseudo_action`.
    fn notify_pseudo(
        &mut self,
        r: RscIdx,
        action: ActionId,
        notif_action: &str,
        notif_type: &str,
        task: &str,
    ) -> ActionId {
        let key = notify_key(self.rsc_id(r), notif_type, &self.a(action).task);
        let optional = self.a(action).is_optional();
        let id = self.custom_action(Some(r), key, notif_action, None, optional);
        let a = self.am(id);
        a.set(af::PSEUDO);
        // The pre/post pair carry the type the instance notifications copy.
        let ty = notif_type.trim_start_matches("confirmed-");
        a.meta.insert("notify_type".into(), ty.into());
        a.meta.insert("notify_operation".into(), task.into());
        id
    }

    /// Order one notified clone action's completion before another's start
    /// (e.g. stop's `confirmed-post` before start's `pre`), when the clone
    /// has notifications for both.
    pub fn order_notifications(&mut self, r: RscIdx, first_task: &str, then_task: &str) {
        let find = |s: &Self, t: &str| s.rs[r.i()].notify.iter().find(|n| n.task == t).cloned();
        let (Some(first), Some(then)) = (find(self, first_task), find(self, then_task)) else {
            return;
        };
        if let (Some(a), Some(b)) = (first.post_done, then.pre) {
            self.order_actions(a, b, of::OPTIONAL);
        }
    }

    /// The task of a clone action as its instances know it
    /// (`clone_child_action`): notify pseudo-actions stand for the action
    /// they notify about.
    pub fn clone_child_task(&self, a: ActionId, child_variant: Variant) -> String {
        let act = self.a(a);
        let task = if act.task.eq_ignore_ascii_case("notify")
            || act.task.eq_ignore_ascii_case("notified")
        {
            notified_task(&act.uuid).unwrap_or(&act.task)
        } else {
            &act.task
        };
        super::orderings::complex_task(child_variant, task, true).to_owned()
    }

    /// The key an ordering with `r`'s `task` (already remapped to its
    /// completion, e.g. `running`) uses: notifying clones at the top (or
    /// directly in a bundle) are done only once the post-notifications are.
    pub fn ordering_key(&self, r: RscIdx, rid: &str, task: &str) -> String {
        let rsc = self.cluster.rsc(r);
        let outermost = match rsc.parent {
            None => true,
            Some(p) => {
                rsc.variant == Variant::Clone && self.cluster.rsc(p).variant == Variant::Bundle
            }
        };
        if rsc.notify && outermost {
            notify_key(rid, "confirmed-post", task)
        } else {
            super::action::op_key(rid, task, 0)
        }
    }

    /// `pe__create_notifications` for every notified action of a clone,
    /// while its actions go into the graph.
    pub fn create_clone_notifications(&mut self, r: RscIdx) {
        let all = std::mem::take(&mut self.rs[r.i()].notify);
        for task in NOTIFY_TASKS {
            let Some(n) = all.iter().find(|n| n.task == task) else {
                continue;
            };
            let mut activity = Activity::default();
            self.collect_activity(r, &mut activity);
            // `add_notif_keys`: notifications are required when the action
            // they are about happens.
            if activity.has(&n.task) {
                for a in [n.pre, n.pre_done, n.post, n.post_done]
                    .into_iter()
                    .flatten()
                {
                    self.am(a).clear(af::OPTIONAL);
                }
            }
            self.create_notify_actions(r, n, &activity);
        }
    }

    /// `collect_resource_data` (with activity): which required, runnable
    /// instance actions the notifications report.
    fn collect_activity(&self, r: RscIdx, out: &mut Activity) {
        let rsc = self.cluster.rsc(r);
        if !rsc.children.is_empty() {
            for &c in &rsc.children {
                self.collect_activity(c, out);
            }
            return;
        }
        for &a in &self.rs[r.i()].actions {
            let act = self.a(a);
            let Some(n) = act.node else { continue };
            if act.is_optional() {
                continue;
            }
            let unclean_stop = act.task == "stop" && self.cluster.node(n).unclean;
            if !unclean_stop && !act.is_runnable() {
                continue;
            }
            match act.task.as_str() {
                "start" => out.start = true,
                "stop" => out.stop = true,
                "promote" => out.promote = true,
                "demote" => out.demote = true,
                _ => {}
            }
        }
    }

    /// `create_notify_actions`: the instances' notify actions.
    fn create_notify_actions(&mut self, r: RscIdx, n: &NotifyData, activity: &Activity) {
        let children = self.cluster.rsc(r).children.clone();
        if !children.is_empty() {
            for c in children {
                self.create_notify_actions(c, n, activity);
            }
            return;
        }
        let task = n.task.as_str();
        // Only stop notifications are sent without the action happening:
        // a stop may be implied by fencing.
        if task != "stop" && !activity.has(task) {
            return;
        }
        let list = self.rs[r.i()].actions.clone();
        let (role, next_role) = {
            let rsc = self.cluster.rsc(r);
            (rsc.role, rsc.next_role)
        };
        if role != Role::Stopped && (task == "stop" || task == "demote") {
            let stop = self.find_first_action(&list, None, Some("stop"), None);
            for node in self.cluster.rsc(r).running_on.clone() {
                // A stop the fencing implies: the fenced node is not told.
                let nd = self.cluster.node(node);
                if stop.is_some_and(|s| self.a(s).is_pseudo())
                    && (nd.unclean || nd.remote_requires_reset)
                {
                    continue;
                }
                self.new_notify_action(r, node, n.pre, n.pre_done);
                if task == "demote" || stop.is_none_or(|s| self.a(s).is_optional()) {
                    self.new_post_notify_action(r, node, n);
                }
            }
        }
        if next_role != Role::Stopped && (task == "start" || task == "promote") {
            let start = self.find_first_action(&list, None, Some("start"), None);
            // Behind a Pacemaker Remote connection whose start is blocked,
            // the instance's start and promotion never happen: no
            // notifications for them (`find_remote_start`).
            let remote_start_blocked = start
                .and_then(|s| self.a(s).node)
                .and_then(|n| self.cluster.node(n).remote_rsc)
                .and_then(|remote| {
                    let acts = self.rs[remote.i()].actions.clone();
                    self.find_first_action(&acts, None, Some("start"), None)
                })
                .is_some_and(|rs| !self.a(rs).is_runnable());
            if remote_start_blocked {
                return;
            }
            let Some(node) = self.cluster.rsc(r).assigned_to else {
                return;
            };
            if task != "start" || start.is_none_or(|s| self.a(s).is_optional()) {
                self.new_notify_action(r, node, n.pre, n.pre_done);
            }
            self.new_post_notify_action(r, node, n);
        }
    }

    /// `new_notify_action`: instance `r`'s notification on `node`, between
    /// the clone's notify pseudo-action `op` and its confirmation `done`.
    fn new_notify_action(
        &mut self,
        r: RscIdx,
        node: NodeIdx,
        op: Option<ActionId>,
        done: Option<ActionId>,
    ) -> Option<ActionId> {
        let (op, done) = (op?, done?);
        if !self.cluster.node(node).online || !self.a(op).is_runnable() {
            return None;
        }
        let (key, task, optional, meta) = {
            let o = self.a(op);
            let ty = o.meta.get("notify_type").cloned().unwrap_or_default();
            let operation = o.meta.get("notify_operation").cloned().unwrap_or_default();
            (
                notify_key(self.rsc_id(r), &ty, &operation),
                o.task.clone(),
                o.is_optional(),
                o.meta.clone(),
            )
        };
        let id = self.custom_action(Some(r), key, &task, Some(node), optional);
        // The action's own settings (timeout…) win over the clone's.
        for (k, v) in meta {
            self.am(id).meta.insert_if_absent(k, v);
        }
        self.order_actions(op, id, of::OPTIONAL);
        self.order_actions(id, done, of::OPTIONAL);
        Some(id)
    }

    /// `new_post_notify_action`: the post-notification, and recurring
    /// monitors wait for all post-notifications.
    fn new_post_notify_action(&mut self, r: RscIdx, node: NodeIdx, n: &NotifyData) {
        self.new_notify_action(r, node, n.post, n.post_done);
        let Some(done) = n.post_done else { return };
        for mon in self.rs[r.i()].actions.clone() {
            let act = self.a(mon);
            if act.interval_ms == 0 || act.task == "cancel" {
                continue;
            }
            self.order_actions(done, mon, of::OPTIONAL);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert_eq!(notify_key("c", "pre", "start"), "c_pre_notify_start_0");
        assert_eq!(
            notify_key("c", "confirmed-post", "running"),
            "c_confirmed-post_notify_running_0"
        );
    }

    #[test]
    fn notified_tasks() {
        assert_eq!(notified_task("c_pre_notify_start_0"), Some("start"));
        assert_eq!(
            notified_task("my_clone_confirmed-post_notify_running_0"),
            Some("running")
        );
        assert_eq!(notified_task("junk"), None);
    }
}
