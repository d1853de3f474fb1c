#!/usr/bin/env python3
"""Generate a steady-state CIB of a cluster with many Pacemaker Remote nodes.

    scripts/gen_remote_cib.py --cluster-nodes 32 --remote-nodes 1000 \
        --resources 10000 [--seed 1] > cib.xml

The shape of large remote deployments: a few cluster nodes run one
connection resource (ocf:pacemaker:remote) per remote node, spread over
them by location preference; the workload runs on the remote nodes only,
each resource limited to two remote nodes (a preferred one and a spare)
by `resource-discovery="exclusive"` locations, so it is probed only
there. Steady: every connection and resource is running where the
scheduler puts it, with probes recorded on the other nodes it may run
on, so an unchanged cluster needs no action and a what-if event (a
cluster node's standby moves the connections it hosts) is the only cause
of work. Complements ../shared/bench/gen_cib.py (cluster nodes only).
"""
import argparse
import random
import sys

ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument("--cluster-nodes", type=int, default=32)
ap.add_argument("--remote-nodes", type=int, default=1000)
ap.add_argument("--resources", type=int, default=10000)
ap.add_argument("--seed", type=int, default=1)
a = ap.parse_args()
rnd = random.Random(a.seed)

cluster = [f"node{i}" for i in range(1, a.cluster_nodes + 1)]
remotes = [f"remote{i}" for i in range(1, a.remote_nodes + 1)]
host = {r: cluster[i % len(cluster)] for i, r in enumerate(remotes)}
FS = "3.16.1"
TK = "00000000-0000-0000-0000-000000000000"
out = []
w = out.append


def op(rsc, kind, op_name, interval, rc, call, digest):
    key = f"{rsc}_{op_name}_{interval}"
    ident = f"{rsc}_last_0" if interval == 0 else f"{rsc}_monitor_{interval}"
    w(f'          <lrm_rsc_op id="{ident}" operation_key="{key}" operation="{op_name}" '
      f'transition-key="{call}:1:{rc}:{TK}" transition-magic="0:{rc};{call}:1:{rc}:{TK}" '
      f'call-id="{call}" rc-code="{rc}" op-status="0" interval="{interval}" '
      f'op-digest="{digest}" crm_feature_set="{FS}"/>')


def history(rsc, cls, provider, kind, running, monitor_ms):
    w(f'        <lrm_resource id="{rsc}" class="{cls}" provider="{provider}" type="{kind}">')
    if running:
        op(rsc, kind, "start", 0, 0, 2, "f2317cad3d54cec5d7d7aa7d0bf35cf8")
        op(rsc, kind, "monitor", monitor_ms, 0, 3, "4811cef7f7f94e3a35a70be7916cb2fd")
    else:
        op(rsc, kind, "monitor", 0, 7, 1, "f2317cad3d54cec5d7d7aa7d0bf35cf8")
    w('        </lrm_resource>')


w(f'<cib crm_feature_set="{FS}" validate-with="pacemaker-3.8" epoch="1" num_updates="0" '
  'admin_epoch="0" have-quorum="1" dc-uuid="1">')
w('  <configuration>')
w('    <crm_config><cluster_property_set id="cib-bootstrap-options">')
w('      <nvpair id="opt-stonith-enabled" name="stonith-enabled" value="false"/>')
w('    </cluster_property_set></crm_config>')
w('    <nodes>')
for i, n in enumerate(cluster, 1):
    w(f'      <node id="{i}" uname="{n}"/>')
# As the cluster records a remote node once it has joined.
for r in remotes:
    w(f'      <node id="{r}" uname="{r}" type="remote"/>')
w('    </nodes>')
w('    <resources>')
for r in remotes:
    # No `server`: the node's name is its address, and the recorded
    # digests stay those of a resource without parameters.
    w(f'      <primitive id="{r}" class="ocf" provider="pacemaker" type="remote">'
      f'<operations><op id="{r}-monitor-30s" name="monitor" interval="30s"/>'
      '</operations></primitive>')
places = {}
for k in range(a.resources):
    rsc = f"w{k}"
    home, spare = rnd.sample(remotes, 2)
    places[rsc] = (home, spare)
    w(f'      <primitive id="{rsc}" class="ocf" provider="heartbeat" type="Dummy">'
      f'<operations><op id="{rsc}-monitor-10s" name="monitor" interval="10s"/></operations></primitive>')
w('    </resources>')
w('    <constraints>')
for r in remotes:
    w(f'      <rsc_location id="loc-{r}" rsc="{r}" node="{host[r]}" score="100"/>')
for rsc, (home, spare) in places.items():
    w(f'      <rsc_location id="loc-{rsc}-home" rsc="{rsc}" node="{home}" score="100" resource-discovery="exclusive"/>')
    w(f'      <rsc_location id="loc-{rsc}-spare" rsc="{rsc}" node="{spare}" score="50" resource-discovery="exclusive"/>')
w('    </constraints>')
w('  </configuration>')
w('  <status>')
for i, n in enumerate(cluster, 1):
    w(f'    <node_state id="{i}" uname="{n}" in_ccm="true" crmd="online" join="member" expected="member">')
    w(f'      <lrm id="{i}"><lrm_resources>')
    for r in remotes:
        history(r, "ocf", "pacemaker", "remote", host[r] == n, 30000)
    w('      </lrm_resources></lrm>')
    w('    </node_state>')
on = {r: [] for r in remotes}
for rsc, (home, spare) in places.items():
    on[home].append((rsc, True))
    on[spare].append((rsc, False))
for r in remotes:
    w(f'    <node_state id="{r}" uname="{r}" remote_node="true" in_ccm="true" crm-debug-origin="do_state_transition">')
    w(f'      <lrm id="{r}"><lrm_resources>')
    for rsc, running in on[r]:
        history(rsc, "ocf", "heartbeat", "Dummy", running, 10000)
    w('      </lrm_resources></lrm>')
    w('    </node_state>')
w('  </status>')
w('</cib>')
sys.stdout.write("\n".join(out) + "\n")
