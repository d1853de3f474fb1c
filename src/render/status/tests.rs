//! Status lists of small hand-made CIBs; the expected text is what
//! Pacemaker 2.1.5's `crm_simulate -x FILE` printed for the same input.

use super::status_section;
use crate::cib::SourceFile;
use crate::xml::ParseLimits;

fn status_of(xml: &str) -> String {
    let cib = crate::cib::load(
        SourceFile {
            name: "test.xml".into(),
            text: std::sync::Arc::from(xml),
        },
        ParseLimits::default(),
    )
    .expect("test CIB loads");
    let now = crate::cib::time::parse_instant("2024-01-01T00:00:00Z").expect("valid date");
    let cluster = crate::sched::unpack::unpack(&cib, now).expect("test CIB unpacks");
    status_section(&cluster, true)
}

/// Standby node with resources, offline node, multiply active primitive,
/// disabled primitive with a failed "not installed" probe, unmanaged
/// group, anonymous and promotable clones.
#[test]
fn mixed_cluster() {
    let got = status_of(CIB_MIXED);
    assert_eq!(got, EXPECTED_MIXED);
}

/// Unique clone instances listed one by one (one failed), a cloned group
/// partly active, and an offline node in the clone's stopped list.
#[test]
fn unique_clone_and_cloned_group() {
    let got = status_of(CIB_CLONES);
    assert_eq!(got, EXPECTED_CLONES);
}

#[test]
fn no_resources() {
    let xml = CIB_CLONES
        .split("<resources>")
        .next()
        .map(|head| format!("{head}<resources/><constraints/></configuration><status/></cib>"))
        .unwrap_or_default();
    let got = status_of(&xml);
    assert_eq!(
        got,
        "  * Node List:\n    * OFFLINE: [ node1 node2 ]\n\n  * Full List of Resources:\n    * No resources\n"
    );
}

const CIB_MIXED: &str = r#"<cib crm_feature_set="3.16.2" validate-with="pacemaker-3.7" epoch="1" num_updates="0" admin_epoch="0" have-quorum="1" dc-uuid="1">
  <configuration>
    <crm_config><cluster_property_set id="cib-bootstrap-options"><nvpair id="o1" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>
    <nodes>
      <node id="1" uname="node1"/>
      <node id="2" uname="node2"><instance_attributes id="n2"><nvpair id="n2-s" name="standby" value="on"/></instance_attributes></node>
      <node id="3" uname="node3"/>
      <node id="10" uname="node10"/>
    </nodes>
    <resources>
      <primitive id="web" class="ocf" provider="heartbeat" type="apache"/>
      <primitive id="off" class="ocf" provider="pacemaker" type="Dummy">
        <meta_attributes id="off-m"><nvpair id="off-m-t" name="target-role" value="Stopped"/></meta_attributes>
      </primitive>
      <group id="grp">
        <meta_attributes id="grp-m"><nvpair id="grp-m-1" name="is-managed" value="false"/></meta_attributes>
        <primitive id="ip" class="ocf" provider="heartbeat" type="IPaddr2"/>
        <primitive id="fs" class="lsb" type="fs"/>
      </group>
      <clone id="dlm-clone">
        <primitive id="dlm" class="ocf" provider="pacemaker" type="controld"/>
      </clone>
      <clone id="db-clone">
        <meta_attributes id="db-m"><nvpair id="db-m-1" name="promotable" value="true"/></meta_attributes>
        <primitive id="db" class="ocf" provider="pacemaker" type="Stateful"/>
      </clone>
    </resources>
    <constraints/>
  </configuration>
  <status>
    <node_state id="1" uname="node1" in_ccm="true" crmd="online" join="member" expected="member">
      <lrm id="1"><lrm_resources>
        <lrm_resource id="web" class="ocf" provider="heartbeat" type="apache">
          <lrm_rsc_op id="web_last_0" operation_key="web_start_0" operation="start" transition-key="1:1:0:x" transition-magic="0:0;1:1:0:x" call-id="2" rc-code="0" op-status="0" interval="0" on_node="node1"/>
        </lrm_resource>
        <lrm_resource id="dlm" class="ocf" provider="pacemaker" type="controld">
          <lrm_rsc_op id="dlm_last_0" operation_key="dlm_start_0" operation="start" transition-key="2:1:0:x" transition-magic="0:0;2:1:0:x" call-id="3" rc-code="0" op-status="0" interval="0" on_node="node1"/>
        </lrm_resource>
        <lrm_resource id="db" class="ocf" provider="pacemaker" type="Stateful">
          <lrm_rsc_op id="db_last_0" operation_key="db_promote_0" operation="promote" transition-key="3:1:0:x" transition-magic="0:0;3:1:0:x" call-id="4" rc-code="0" op-status="0" interval="0" on_node="node1"/>
        </lrm_resource>
        <lrm_resource id="ip" class="ocf" provider="heartbeat" type="IPaddr2">
          <lrm_rsc_op id="ip_last_0" operation_key="ip_start_0" operation="start" transition-key="4:1:0:x" transition-magic="0:0;4:1:0:x" call-id="5" rc-code="0" op-status="0" interval="0" on_node="node1"/>
        </lrm_resource>
      </lrm_resources></lrm>
    </node_state>
    <node_state id="2" uname="node2" in_ccm="true" crmd="online" join="member" expected="member">
      <lrm id="2"><lrm_resources>
        <lrm_resource id="dlm" class="ocf" provider="pacemaker" type="controld">
          <lrm_rsc_op id="dlm_last_0" operation_key="dlm_start_0" operation="start" transition-key="2:1:0:x" transition-magic="0:0;2:1:0:x" call-id="3" rc-code="0" op-status="0" interval="0" on_node="node2"/>
        </lrm_resource>
        <lrm_resource id="db" class="ocf" provider="pacemaker" type="Stateful">
          <lrm_rsc_op id="db_last_0" operation_key="db_start_0" operation="start" transition-key="3:1:0:x" transition-magic="0:0;3:1:0:x" call-id="4" rc-code="0" op-status="0" interval="0" on_node="node2"/>
        </lrm_resource>
      </lrm_resources></lrm>
    </node_state>
    <node_state id="3" uname="node3" in_ccm="true" crmd="online" join="member" expected="member">
      <lrm id="3"><lrm_resources>
        <lrm_resource id="web" class="ocf" provider="heartbeat" type="apache">
          <lrm_rsc_op id="web_last_0" operation_key="web_start_0" operation="start" transition-key="1:1:0:x" transition-magic="0:0;1:1:0:x" call-id="2" rc-code="0" op-status="0" interval="0" on_node="node3"/>
        </lrm_resource>
        <lrm_resource id="off" class="ocf" provider="pacemaker" type="Dummy">
          <lrm_rsc_op id="off_last_failure_0" operation_key="off_monitor_0" operation="monitor" transition-key="5:1:7:x" transition-magic="0:5;5:1:7:x" call-id="6" rc-code="5" op-status="0" interval="0" on_node="node3"/>
        </lrm_resource>
      </lrm_resources></lrm>
    </node_state>
  </status>
</cib>
"#;

const EXPECTED_MIXED: &str = r#"  * Node List:
    * Node node2: standby (with active resources)
    * Online: [ node1 node3 ]
    * OFFLINE: [ node10 ]

  * Full List of Resources:
    * web	(ocf:heartbeat:apache):	 Started [ node1 node3 ]
    * off	(ocf:pacemaker:Dummy):	 Stopped (not installed)  (disabled)
    * Resource Group: grp (unmanaged):
      * ip	(ocf:heartbeat:IPaddr2):	 Started node1 (unmanaged)
      * fs	(lsb:fs):	 Stopped (unmanaged)
    * Clone Set: dlm-clone [dlm]:
      * Started: [ node1 node2 ]
      * Stopped: [ node3 node10 ]
    * Clone Set: db-clone [db] (promotable):
      * Promoted: [ node1 ]
      * Unpromoted: [ node2 ]
      * Stopped: [ node3 node10 ]
"#;

const CIB_CLONES: &str = r#"<cib crm_feature_set="3.16.2" validate-with="pacemaker-3.7" epoch="1" num_updates="0" admin_epoch="0" have-quorum="1" dc-uuid="1">
  <configuration>
    <crm_config><cluster_property_set id="cib-bootstrap-options"><nvpair id="o1" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>
    <nodes>
      <node id="1" uname="node1"/>
      <node id="2" uname="node2"/>
    </nodes>
    <resources>
      <clone id="u-clone">
        <meta_attributes id="u-m"><nvpair id="u-m-1" name="globally-unique" value="true"/><nvpair id="u-m-2" name="clone-max" value="3"/></meta_attributes>
        <primitive id="u" class="ocf" provider="pacemaker" type="Dummy"/>
      </clone>
      <clone id="g-clone">
        <group id="g">
          <primitive id="a" class="ocf" provider="pacemaker" type="Dummy"/>
          <primitive id="b" class="ocf" provider="pacemaker" type="Dummy"/>
        </group>
      </clone>
    </resources>
    <constraints/>
  </configuration>
  <status>
    <node_state id="1" uname="node1" in_ccm="false" crmd="offline" join="down" expected="member"/>
    <node_state id="2" uname="node2" in_ccm="true" crmd="online" join="member" expected="member">
      <lrm id="2"><lrm_resources>
        <lrm_resource id="u:0" class="ocf" provider="pacemaker" type="Dummy">
          <lrm_rsc_op id="u0_last_0" operation_key="u:0_start_0" operation="start" transition-key="1:1:0:x" transition-magic="0:0;1:1:0:x" call-id="2" rc-code="0" op-status="0" interval="0" on_node="node2"/>
        </lrm_resource>
        <lrm_resource id="u:1" class="ocf" provider="pacemaker" type="Dummy">
          <lrm_rsc_op id="u1_last_0" operation_key="u:1_monitor_10000" operation="monitor" transition-key="1:1:0:x" transition-magic="0:7;1:1:0:x" call-id="3" rc-code="7" op-status="0" interval="10000" on_node="node2"/>
        </lrm_resource>
        <lrm_resource id="a" class="ocf" provider="pacemaker" type="Dummy">
          <lrm_rsc_op id="a_last_0" operation_key="a_start_0" operation="start" transition-key="2:1:0:x" transition-magic="0:0;2:1:0:x" call-id="4" rc-code="0" op-status="0" interval="0" on_node="node2"/>
        </lrm_resource>
      </lrm_resources></lrm>
    </node_state>
  </status>
</cib>
"#;

const EXPECTED_CLONES: &str = r#"  * Node List:
    * Online: [ node2 ]
    * OFFLINE: [ node1 ]

  * Full List of Resources:
    * Clone Set: u-clone [u] (unique):
      * u:0	(ocf:pacemaker:Dummy):	 Started node2
      * u:1	(ocf:pacemaker:Dummy):	 FAILED node2
      * u:2	(ocf:pacemaker:Dummy):	 Stopped
    * Clone Set: g-clone [g]:
      * Resource Group: g:0:
        * a	(ocf:pacemaker:Dummy):	 Started node2
        * b	(ocf:pacemaker:Dummy):	 Stopped
      * Stopped: [ node1 ]
"#;
