//! constraints rules.

pub mod banned_everywhere;
pub mod constraint_on_member;
pub mod contradictory_colocation;
pub mod expired_rule;
pub mod leftover_move;
pub mod order_cycle;
pub mod order_within_group;
pub mod self_constraint;
pub mod unknown_node;
