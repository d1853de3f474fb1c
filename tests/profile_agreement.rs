//! Lint and simulate read every cluster option the same way for a given
//! release profile: the same CIBs are linted and scheduled under each
//! profile, and lint's verdict on an option (fencing disabled, maintenance
//! mode, fencing action) must match what the scheduler decided.

use cibcheck::cib::time::Instant;
use cibcheck::cib::SourceFile;
use cibcheck::lint::{lint_source, Selection};
use cibcheck::profile::PROFILES;
use cibcheck::sched::pipeline::simulate;
use cibcheck::xml::ParseLimits;
use std::sync::Arc;

/// The values each option takes in the generated CIBs: absent, both
/// booleans, and one Pacemaker does not accept.
const VALUES: [Option<&str>; 4] = [None, Some("true"), Some("false"), Some("maybe")];

/// A two-node CIB with these cluster options and a `dc-version` naming
/// `release`, so that lint and simulate choose the same profile.
fn cib(release: &str, options: &[(&str, &str)]) -> String {
    let mut nvpairs = format!("<nvpair id=\"o-dc\" name=\"dc-version\" value=\"{release}-1\"/>\n");
    for (i, (name, value)) in options.iter().enumerate() {
        nvpairs.push_str(&format!(
            "        <nvpair id=\"o{i}\" name=\"{name}\" value=\"{value}\"/>\n"
        ));
    }
    format!(
        r#"<cib validate-with="pacemaker-3.9" crm_feature_set="3.17.4" epoch="1" num_updates="0" admin_epoch="0" have-quorum="1" dc-uuid="1">
  <configuration>
    <crm_config>
      <cluster_property_set id="opts">
        {nvpairs}      </cluster_property_set>
    </crm_config>
    <nodes>
      <node id="1" uname="alice"/>
      <node id="2" uname="bob"/>
    </nodes>
    <resources>
      <primitive id="web" class="ocf" provider="heartbeat" type="apache">
        <operations>
          <op id="web-monitor" name="monitor" interval="10s"/>
        </operations>
      </primitive>
    </resources>
    <constraints/>
  </configuration>
  <status>
    <node_state id="1" uname="alice" in_ccm="true" crmd="online" join="member" expected="member"/>
    <node_state id="2" uname="bob" in_ccm="true" crmd="online" join="member" expected="member"/>
  </status>
</cib>
"#
    )
}

fn source(text: &str) -> SourceFile {
    SourceFile {
        name: "generated.xml".into(),
        text: Arc::from(text),
    }
}

/// (lint codes, scheduler's fencing on, scheduler's maintenance mode,
/// scheduler's fencing action).
fn judge(text: &str) -> (Vec<String>, bool, bool, String) {
    let now = Instant(1_700_000_000);
    let outcome = lint_source(source(text), now, &Selection::all(), ParseLimits::default());
    let codes = outcome
        .diagnostics
        .iter()
        .map(|d| d.code.to_string())
        .collect();
    let cib =
        cibcheck::cib::load(source(text), ParseLimits::default()).expect("generated CIB loads");
    let sim = simulate(&cib, now).expect("generated CIB simulates");
    let o = &sim.before.options;
    (
        codes,
        o.stonith_enabled,
        o.maintenance_mode,
        o.stonith_action.clone(),
    )
}

#[test]
fn fencing_options_mean_the_same_to_lint_and_simulate() {
    let mut checked = 0;
    for profile in PROFILES {
        for old in VALUES {
            for new in VALUES {
                let mut options = Vec::new();
                if let Some(v) = old {
                    options.push(("stonith-enabled", v));
                }
                if let Some(v) = new {
                    options.push(("fencing-enabled", v));
                }
                let text = cib(profile.name, &options);
                let (codes, fencing_on, _, _) = judge(&text);
                let lint_says_off = codes.iter().any(|c| c == "FE001");
                assert_eq!(
                    lint_says_off, !fencing_on,
                    "{}: stonith-enabled={old:?} fencing-enabled={new:?}: lint FE001={lint_says_off}, scheduler fencing on={fencing_on}",
                    profile.name
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, PROFILES.len() * VALUES.len() * VALUES.len());
}

#[test]
fn the_releases_differ_where_they_should() {
    // 2.1.5 ignores `fencing-enabled`; 3.0.2 obeys it.
    let options = [("fencing-enabled", "false")];
    let (old_codes, old_on, _, _) = judge(&cib("2.1.5", &options));
    let (new_codes, new_on, _, _) = judge(&cib("3.0.2", &options));
    assert!(old_on && !old_codes.iter().any(|c| c == "FE001"));
    assert!(!new_on && new_codes.iter().any(|c| c == "FE001"));
}

#[test]
fn maintenance_mode_means_the_same_to_lint_and_simulate() {
    for profile in PROFILES {
        for value in VALUES {
            let options: Vec<(&str, &str)> =
                value.map(|v| ("maintenance-mode", v)).into_iter().collect();
            let (codes, _, maintenance, _) = judge(&cib(profile.name, &options));
            let lint_says_on = codes.iter().any(|c| c == "MA001");
            assert_eq!(
                lint_says_on, maintenance,
                "{}: maintenance-mode={value:?}",
                profile.name
            );
        }
    }
}

#[test]
fn fencing_action_renames_are_read_by_both() {
    // Under 3.0.2 `fencing-action` wins over `stonith-action`; 2.1.5 reads
    // only the old name.
    let options = [("stonith-action", "off"), ("fencing-action", "reboot")];
    let (_, _, _, old_action) = judge(&cib("2.1.5", &options));
    let (_, _, _, new_action) = judge(&cib("3.0.2", &options));
    assert_eq!(old_action, "off");
    assert_eq!(new_action, "reboot");
}
