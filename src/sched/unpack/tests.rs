//! Unit tests of status unpacking: what a resource's operation history
//! says about where it runs and whether it failed.

use super::unpack;
use crate::cib::time::{parse_instant, Instant};
use crate::cib::{Role, SourceFile};
use crate::sched::model::{Cluster, UnpackActionKind};
use crate::xml::ParseLimits;
use std::sync::Arc;

/// A two-node cluster with one Dummy resource `rsc` (extra meta and ops
/// given), and `ops` as rsc's history on node1.
fn cluster(meta: &str, ops: &str) -> Cluster {
    cluster_with(meta, "", ops)
}

/// As [`cluster`], with extra attributes on the configured monitor.
fn cluster_with(meta: &str, mon_attrs: &str, ops: &str) -> Cluster {
    unpack(&cib(meta, mon_attrs, ops), now()).expect("test CIB unpacks")
}

fn cib(meta: &str, mon_attrs: &str, ops: &str) -> crate::cib::Cib {
    let xml = format!(
        r#"<cib validate-with="pacemaker-3.7" crm_feature_set="3.16.1" epoch="1" num_updates="0" admin_epoch="0" have-quorum="1" dc-uuid="1">
  <configuration>
    <crm_config><cluster_property_set id="o">
      <nvpair id="o1" name="stonith-enabled" value="false"/>
    </cluster_property_set></crm_config>
    <nodes><node id="1" uname="node1"/><node id="2" uname="node2"/></nodes>
    <resources>
      <primitive id="rsc" class="ocf" provider="pacemaker" type="Dummy">
        {meta}
        <operations>
          <op id="rsc-mon" name="monitor" interval="10s" {mon_attrs}/>
        </operations>
      </primitive>
    </resources>
    <constraints/>
  </configuration>
  <status>
    <node_state id="1" uname="node1" in_ccm="true" crmd="online" join="member" expected="member">
      <lrm id="1"><lrm_resources>
        <lrm_resource id="rsc" class="ocf" provider="pacemaker" type="Dummy">{ops}</lrm_resource>
      </lrm_resources></lrm>
    </node_state>
    <node_state id="2" uname="node2" in_ccm="true" crmd="online" join="member" expected="member"/>
  </status>
</cib>"#
    );
    crate::cib::load(
        SourceFile {
            name: "test.xml".into(),
            text: Arc::from(xml),
        },
        ParseLimits::default(),
    )
    .expect("test CIB loads")
}

fn now() -> Instant {
    parse_instant("2026-01-01T00:00:00Z").expect("fixed time")
}

/// One history entry; `last-rc-change` an hour before `now()`.
fn op(id: &str, task: &str, interval: u64, call: i32, rc: i32, status: i32) -> String {
    let changed = now().0 - 3600;
    format!(
        r#"<lrm_rsc_op id="{id}" operation_key="rsc_{task}_{interval}" operation="{task}" transition-key="1:1:0:x" transition-magic="{status}:{rc};1:1:0:x" call-id="{call}" rc-code="{rc}" op-status="{status}" interval="{interval}" last-rc-change="{changed}" on_node="node1"/>"#
    )
}

fn rsc(c: &Cluster) -> &crate::sched::model::Resource {
    c.rsc(c.find_rsc("rsc").expect("rsc exists"))
}

#[test]
fn successful_start_means_started_there() {
    let c = cluster("", &op("rsc_last_0", "start", 0, 2, 0, 0));
    let r = rsc(&c);
    assert_eq!(r.role, Role::Started);
    assert_eq!(r.running_on, vec![c.node_by_name("node1").expect("node1")]);
    assert!(!r.failed);
}

#[test]
fn failed_recurring_monitor_marks_the_resource_failed_but_active() {
    let ops =
        op("rsc_last_0", "start", 0, 2, 0, 0) + &op("rsc_monitor_10000", "monitor", 10000, 3, 7, 0);
    let c = cluster("", &ops);
    let r = rsc(&c);
    assert!(r.failed, "a monitor that found it stopped is a failure");
    assert_eq!(
        r.running_on.len(),
        1,
        "still considered active until stopped"
    );
    assert_eq!(c.failed_ops.len(), 1);
}

#[test]
fn failed_start_without_fail_count_is_recovered_in_place() {
    // Fail counts live in node attributes, not in the history: without
    // one, nothing bans node1 and the resource is recovered there
    // (checked against crm_simulate 2.1.5).
    let ops = op("rsc_last_0", "start", 0, 2, 1, 0);
    let c = cluster("", &ops);
    assert!(rsc(&c).failed);
    let sim = crate::sched::pipeline::simulate(&cib("", "", &ops), now()).expect("simulates");
    let n1 = sim.after.node_by_name("node1").expect("node1");
    assert_eq!(rsc(&sim.after).running_on, vec![n1]);
    assert!(sim.transition.summary.iter().any(|i| matches!(
        i,
        crate::sched::summary::SummaryItem::Resource { change, .. } if change == "Recover"
    )));
}

#[test]
fn pending_start_is_active_and_remembered() {
    let ops = op("rsc_last_0", "start", 0, 2, 0, -1);
    let c = cluster("", &ops);
    let r = rsc(&c);
    assert!(r.start_pending, "a start still in flight");
    assert_eq!(r.pending_task.as_deref(), Some("start"));
    assert_eq!(r.running_on.len(), 1);
}

#[test]
fn stopped_after_stop_is_inactive() {
    let ops = op("rsc_last_0", "stop", 0, 3, 0, 0);
    let c = cluster("", &ops);
    assert!(rsc(&c).running_on.is_empty());
}

#[test]
fn expired_failure_is_ignored_and_fail_count_cleared() {
    // failure-timeout of 10 minutes, failure an hour ago.
    let ops = op("rsc_last_0", "start", 0, 2, 0, 0)
        + &op("rsc_last_failure_0", "monitor", 10000, 3, 7, 0);
    let meta = r#"<meta_attributes id="rsc-meta"><nvpair id="ft" name="failure-timeout" value="10min"/></meta_attributes>"#;
    let c = cluster(meta, &ops);
    assert!(!rsc(&c).failed, "an expired failure no longer counts");
}

#[test]
fn failure_with_on_fail_ignore_is_flagged_not_failed() {
    let ops =
        op("rsc_last_0", "start", 0, 2, 0, 0) + &op("rsc_monitor_10000", "monitor", 10000, 3, 1, 0);
    let c = cluster_with("", r#"on-fail="ignore""#, &ops);
    let r = rsc(&c);
    assert!(!r.failed);
    assert!(r.failure_ignored);
    assert_eq!(r.role, Role::Started);
}

#[test]
fn active_monitor_is_reported_as_an_optional_recurring_action() {
    let ops =
        op("rsc_last_0", "start", 0, 2, 0, 0) + &op("rsc_monitor_10000", "monitor", 10000, 3, 0, 0);
    let c = cluster("", &ops);
    let recurring: Vec<_> = c
        .unpack_actions
        .iter()
        .filter(|a| {
            matches!(
                a.kind,
                UnpackActionKind::Recurring {
                    interval_ms: 10000,
                    ..
                }
            )
        })
        .collect();
    assert_eq!(recurring.len(), 1);
    assert!(recurring[0].optional);
}

#[test]
fn fail_counts_are_read_as_pacemaker_reads_them() {
    let mut c = cluster("", "");
    let r = c.find_rsc("rsc").expect("rsc exists");
    let node1 = crate::sched::model::NodeIdx(0);
    let attrs = &mut c.nodes[node1.i()].attrs;
    attrs.insert("fail-count-rsc#monitor_10000".into(), "2".into());
    // char2score and strtoll: the leading integer counts.
    attrs.insert("fail-count-rsc#start_0".into(), "3x".into());
    attrs.insert("last-failure-rsc#start_0".into(), "1700000000 ".into());
    attrs.insert(
        "last-failure-rsc#monitor_10000".into(),
        "1700000100x".into(),
    );
    // Another resource's, and a per-resource name on a new feature set.
    attrs.insert("fail-count-rsc2#start_0".into(), "7".into());
    attrs.insert("fail-count-rsc".into(), "9".into());
    assert_eq!(
        crate::sched::failcount::fail_count(&c, node1, r, false, false),
        (5, 1_700_000_100)
    );
}
