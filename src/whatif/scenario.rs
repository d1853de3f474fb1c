//! Scenarios: what-if steps run one after the other, each starting from
//! the cluster the previous step's transition left behind. A step is the
//! same set of events the command line takes (`--then` separates steps
//! there); a scenario file is JSON (docs/simulate-json.md).

use super::{ConfigEvent, Events};
use serde::Deserialize;

/// One step's events, as given on the command line or in a scenario file
/// (keys are the long option names, with `_` or `-`).
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct StepSpec {
    #[serde(default, alias = "node-up")]
    pub node_up: Vec<String>,
    #[serde(default, alias = "node-down")]
    pub node_down: Vec<String>,
    #[serde(default, alias = "node-fail")]
    pub node_fail: Vec<String>,
    #[serde(default, alias = "op-inject")]
    pub op_inject: Vec<String>,
    #[serde(default, alias = "op-fail")]
    pub op_fail: Vec<String>,
    #[serde(default, alias = "ticket-grant")]
    pub ticket_grant: Vec<String>,
    #[serde(default, alias = "ticket-revoke")]
    pub ticket_revoke: Vec<String>,
    #[serde(default, alias = "ticket-standby")]
    pub ticket_standby: Vec<String>,
    #[serde(default, alias = "ticket-activate")]
    pub ticket_activate: Vec<String>,
    #[serde(default)]
    pub quorum: bool,
    #[serde(default, alias = "no-quorum")]
    pub no_quorum: bool,
    #[serde(default)]
    pub standby: Vec<String>,
    #[serde(default)]
    pub online: Vec<String>,
    #[serde(default)]
    pub maintenance: Vec<String>,
    #[serde(default, alias = "maintenance-mode")]
    pub maintenance_mode: bool,
    #[serde(default)]
    pub ban: Vec<String>,
    #[serde(default, rename = "move")]
    pub move_: Vec<String>,
    #[serde(default)]
    pub clear: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioFile {
    steps: Vec<StepSpec>,
}

/// Parse a scenario file: `{"steps": [{"standby": ["alice"]}, …]}`.
pub fn parse_scenario(text: &str) -> Result<Vec<StepSpec>, String> {
    let f: ScenarioFile = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if f.steps.is_empty() {
        return Err("the scenario has no steps".into());
    }
    Ok(f.steps)
}

impl StepSpec {
    /// The events, with configuration changes in a fixed order: node
    /// attributes, the cluster property, then constraints.
    pub fn events(&self) -> Result<Events, String> {
        use ConfigEvent as C;
        if self.quorum && self.no_quorum {
            return Err("--quorum and --no-quorum contradict each other".into());
        }
        let mut config = Vec::new();
        config.extend(self.standby.iter().cloned().map(C::Standby));
        config.extend(self.online.iter().cloned().map(C::Online));
        config.extend(self.maintenance.iter().cloned().map(C::Maintenance));
        if self.maintenance_mode {
            config.push(C::MaintenanceMode);
        }
        for b in &self.ban {
            let (rsc, node) = match b.split_once('@') {
                Some((r, n)) => (r.to_string(), Some(n.to_string())),
                None => (b.clone(), None),
            };
            config.push(C::Ban { rsc, node });
        }
        for m in &self.move_ {
            let (rsc, node) = m
                .split_once('@')
                .ok_or_else(|| format!("--move {m}: expected RSC@NODE"))?;
            config.push(C::Move {
                rsc: rsc.to_string(),
                node: node.to_string(),
            });
        }
        config.extend(self.clear.iter().cloned().map(C::Clear));
        Ok(Events {
            config,
            quorum: if self.quorum {
                Some(true)
            } else if self.no_quorum {
                Some(false)
            } else {
                None
            },
            node_up: self.node_up.clone(),
            node_down: self.node_down.clone(),
            node_fail: self.node_fail.clone(),
            ticket_grant: self.ticket_grant.clone(),
            ticket_revoke: self.ticket_revoke.clone(),
            ticket_standby: self.ticket_standby.clone(),
            ticket_activate: self.ticket_activate.clone(),
            op_inject: self.op_inject.clone(),
            op_fail: self.op_fail.clone(),
        })
    }

    /// The events as short phrases, in the order they are applied
    /// (`standby alice`, `node-fail bob`).
    pub fn describe(&self) -> Vec<String> {
        let flag = |on: bool, name: &str| {
            if on {
                vec![name.to_string()]
            } else {
                Vec::new()
            }
        };
        let lists: [(&str, Vec<String>); 18] = [
            ("standby", self.standby.clone()),
            ("online", self.online.clone()),
            ("maintenance", self.maintenance.clone()),
            ("", flag(self.maintenance_mode, "maintenance-mode")),
            ("ban", self.ban.clone()),
            ("move", self.move_.clone()),
            ("clear", self.clear.clone()),
            ("", flag(self.quorum, "quorum")),
            ("", flag(self.no_quorum, "no-quorum")),
            ("node-up", self.node_up.clone()),
            ("node-down", self.node_down.clone()),
            ("node-fail", self.node_fail.clone()),
            ("ticket-grant", self.ticket_grant.clone()),
            ("ticket-revoke", self.ticket_revoke.clone()),
            ("ticket-standby", self.ticket_standby.clone()),
            ("ticket-activate", self.ticket_activate.clone()),
            ("op-inject", self.op_inject.clone()),
            ("op-fail", self.op_fail.clone()),
        ];
        lists
            .into_iter()
            .flat_map(|(name, items)| {
                items.into_iter().map(move |i| {
                    if name.is_empty() {
                        i
                    } else {
                        format!("{name} {i}")
                    }
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenario_files_name_events_like_the_options() {
        let steps = parse_scenario(
            r#"{"steps": [{"standby": ["alice"]}, {"node-fail": ["bob"], "move": ["vm@carol"]}]}"#,
        )
        .expect("valid scenario");
        assert_eq!(steps.len(), 2);
        assert_eq!(steps[0].describe(), ["standby alice"]);
        assert_eq!(steps[1].describe(), ["move vm@carol", "node-fail bob"]);
        let ev = steps[1].events().expect("valid events");
        assert_eq!(ev.node_fail, ["bob"]);
    }

    #[test]
    fn bad_scenarios_are_refused() {
        assert!(parse_scenario(r#"{"steps": []}"#).is_err());
        assert!(parse_scenario(r#"{"steps": [{"stanby": ["a"]}]}"#).is_err());
        assert!(parse_scenario("[").is_err());
        let s = StepSpec {
            move_: vec!["vm".into()],
            ..Default::default()
        };
        assert!(s.events().is_err());
    }
}
