#!/usr/bin/env python3
"""Metamorphic variations of a scheduler corpus, each judged by crm_simulate.

Each corpus CIB is rewritten in ways that should not matter to a scheduler
that understands Pacemaker rather than one fitted to the corpus' cases:
names changed consistently (so that every sort by name turns around),
sibling elements reversed, finite scores scaled, an idle node added. Many
variants legitimately change Pacemaker's answer (it sorts by name and
breaks ties by order), so the answer is never predicted: crm_simulate is
run on the variant itself and cibcheck must agree with it.

Kinds (--kinds, default all):
  identity            the case unchanged (compared with the oracle run here,
                      not with the corpus' stored summary)
  rename-nodes        cluster node names renamed so their order reverses
  rename-resources    resource ids renamed (with their history, fail counts,
                      constraints) so their order reverses
  reverse-resources   top-level children of <resources> reversed
  reverse-constraints children of <constraints> reversed
  reverse-nodes       children of <nodes> reversed
  reverse-lrm         lrm_resource entries of each node reversed
  reverse-node-states node_state entries reversed
  scale-scores        finite scores and stickiness times 1.5 (100 -> 150)
  extra-node          an idle online cluster node added (sorting first)

A variant the rewrite cannot make safely (e.g. remote nodes named like
resources, rsc-pattern locations for renamed resources) is skipped, and so
is a variant the oracle refuses (its schema check failing, no output). An
oracle exiting 1 after "An invalid transition was produced" is compared.

Compared like scripts' scorer: L0 current status, L1 revised status (exact),
L2 transition summary, L3 executed actions (multisets); "agree" needs all
four, "exact" the whole output.

  scripts/vary-corpus.py --corpus ../shared/pcmk-cts --jobs 2 --out /tmp/vary
  scripts/vary-corpus.py --corpus ../shared/pcmk-cts-3.0 --pacemaker 3.0.2 \\
      --oracle ../shared/tools/crm_simulate-3.0.2.sh --out /tmp/vary3

--cache DIR keeps the oracle's output per variant (by its text), so a
rerun after a fix costs only cibcheck's runs.

Prints one line per kind (variants made, compared, agreeing, exact) and
writes, under --out, report.tsv (one row per variant) and, for every
disagreement (disagree/KIND/) and every agreement that is not byte-exact
(inexact/KIND/), the variant CIB with the oracle's and cibcheck's outputs.
"""
import argparse
import collections
import concurrent.futures as cf
import copy
import hashlib
import os
import re
import shlex
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

KINDS = [
    "identity",
    "rename-nodes",
    "rename-resources",
    "reverse-resources",
    "reverse-constraints",
    "reverse-nodes",
    "reverse-lrm",
    "reverse-node-states",
    "scale-scores",
    "extra-node",
]

HEADINGS = {
    "current cluster status:": "current",
    "performing requested modifications:": "modifications",
    "transition summary:": "summary",
    "executing cluster transition:": "actions",
    "revised cluster status:": "revised",
}

RESOURCE_TAGS = {"primitive", "group", "clone", "master", "bundle", "template"}


class Skip(Exception):
    """The rewrite cannot be made safely for this CIB."""


# ----- comparison (the scorer's sections) -----


def sections(text):
    out = collections.OrderedDict()
    cur = "preamble"
    out[cur] = []
    for line in text.splitlines():
        key = HEADINGS.get(line.strip().lower())
        if key is not None and not line.startswith(" "):
            cur = key
            out.setdefault(cur, [])
            continue
        out.setdefault(cur, []).append(line)
    for k in out:
        while out[k] and out[k][-1].strip() == "":
            out[k].pop()
    return out


def fold(lines):
    return collections.Counter(re.sub(r"\s+", " ", l.strip()) for l in lines if l.strip())


def compare(expected, actual):
    e, a = sections(expected), sections(actual)
    return {
        "L0": e.get("current") == a.get("current"),
        "L1": e.get("revised") == a.get("revised"),
        "L2": fold(e.get("summary", [])) == fold(a.get("summary", [])),
        "L3": fold(e.get("actions", [])) == fold(a.get("actions", [])),
        "L4": expected == actual,
    }


# ----- rewrites -----


def node_names(root):
    """Cluster node names that can be renamed: not remote or guest nodes
    (whose names are resource ids or meta attribute values)."""
    rsc_ids = {e.get("id") for e in root.iter() if e.tag in RESOURCE_TAGS}
    guests = {
        nv.get("value")
        for nv in root.iter("nvpair")
        if nv.get("name") == "remote-node"
    }
    names = []
    for n in root.iter("node"):
        if n.get("type") in ("remote", "ping"):
            continue
        u = n.get("uname")
        if u and u not in rsc_ids and u not in guests and u not in names:
            names.append(u)
    return names


# Attributes never holding a node name or resource id to rewrite: XML ids
# of their own, node ids (which node_state/lrm/dc-uuid refer to), digests.
KEEP_ATTRS = {"id", "dc-uuid", "op-digest", "op-secure-digest", "op-restart-digest",
              "transition-key", "transition-magic", "crm-debug-origin", "crm_feature_set",
              "validate-with", "op-force-restart", "op-secure-params", "exit-reason"}
TOKEN_SPLIT = re.compile(r"([\s,;:=]+)")


def replace_tokens(value, mapping):
    parts = TOKEN_SPLIT.split(value)
    changed = False
    for i in range(0, len(parts), 2):
        if parts[i] in mapping:
            parts[i] = mapping[parts[i]]
            changed = True
    return "".join(parts) if changed else value


def rename_nodes(root):
    names = node_names(root)
    if not names:
        raise Skip("no cluster node to rename")
    order = sorted(names)
    k = len(order)
    mapping = {u: "host%03d" % (k - 1 - i) for i, u in enumerate(order)}
    taken = {e.get("id") for e in root.iter() if e.get("id")}
    if any(v in taken or v in names for v in mapping.values()):
        raise Skip("new node names collide")
    for el in root.iter():
        for attr, val in list(el.attrib.items()):
            if attr in KEEP_ATTRS:
                continue
            # node_state and lrm ids are node ids; a uname equal to an id
            # is renamed only where it is a name
            if el.tag in ("node_state", "lrm", "transient_attributes") and attr == "id":
                continue
            if attr == "uname" or attr == "node" or attr == "on_node" or attr == "target":
                if val in mapping:
                    el.set(attr, mapping[val])
                continue
            if el.tag == "expression" and attr == "value":
                if val in mapping and el.get("attribute") in ("#uname", "#id"):
                    el.set(attr, mapping[val])
                continue
            if el.tag == "nvpair" and attr == "value":
                name = el.get("name", "")
                if name.startswith("pcmk_host") or name in ("hostlist", "hostname", "host_map",
                                                            "nodename", "hosts"):
                    el.set(attr, replace_tokens(val, mapping))
                continue
    return root


def resource_ids(root):
    """Resource ids that can be renamed consistently."""
    out = []
    skip = set()
    for b in root.iter("bundle"):
        # bundles name their implicit children after themselves
        for e in b.iter():
            if e.tag in RESOURCE_TAGS:
                skip.add(e.get("id"))
    for p in root.iter("primitive"):
        if p.get("type") == "remote" and p.get("provider") == "pacemaker":
            skip.add(p.get("id"))  # the id is a node name
    res = root.find("./configuration/resources")
    if res is None:
        return []
    for e in res.iter():
        if e.tag in RESOURCE_TAGS and e.get("id") and e.get("id") not in skip:
            out.append(e.get("id"))
    return out


def rename_resources(root):
    ids = resource_ids(root)
    if not ids:
        raise Skip("no resource to rename")
    if any(l.get("rsc-pattern") for l in root.iter("rsc_location")):
        raise Skip("rsc-pattern")
    order = sorted(ids)
    k = len(order)
    mapping = {r: "r%03d%s" % (k - 1 - i, r) for i, r in enumerate(order)}
    taken = {e.get("id") for e in root.iter() if e.get("id")}
    if any(v in taken for v in mapping.values()):
        raise Skip("new resource ids collide")
    node_unames = {n.get("uname") for n in root.iter("node")}
    if any(r in node_unames for r in mapping):
        raise Skip("a resource id is a node name")

    def rsc_ref(v):
        """A history or instance name: rsc or rsc:N."""
        if v in mapping:
            return mapping[v]
        base, sep, inst = v.partition(":")
        if sep and base in mapping and inst.isdigit():
            return mapping[base] + ":" + inst
        return v


    def attr_name(v):
        # fail-count-RSC#op_interval, last-failure-RSC..., master-RSC[:N]
        for prefix in ("fail-count-", "last-failure-", "master-", "promotion-"):
            if v.startswith(prefix):
                rest = v[len(prefix):]
                head, sep, tail = rest.partition("#")
                new = rsc_ref(head)
                if new != head:
                    return prefix + new + sep + tail
        return v

    conf = root.find("./configuration")
    for e in conf.iter():
        if e.tag in RESOURCE_TAGS and e.get("id") in mapping:
            e.set("id", mapping[e.get("id")])
        for attr in ("rsc", "with-rsc", "first", "then"):
            if attr in e.attrib and e.tag not in RESOURCE_TAGS:
                e.set(attr, rsc_ref(e.get(attr)))
        if e.tag == "primitive" and e.get("template"):
            e.set("template", rsc_ref(e.get("template")))
        if e.tag in ("resource_ref", "obj_ref") and e.get("id"):
            e.set("id", rsc_ref(e.get("id")))
        if e.tag == "nvpair" and e.get("name") == "container" and e.get("value"):
            e.set("value", rsc_ref(e.get("value")))
    status = root.find("./status")
    if status is not None:
        for e in status.iter():
            if e.tag == "lrm_resource":
                old_id = e.get("id", "")
                new_id = rsc_ref(old_id)
                e.set("id", new_id)
                if e.get("container"):
                    e.set("container", rsc_ref(e.get("container")))
                if new_id == old_id:
                    continue
                # its operations are named after it
                for op in e.iter("lrm_rsc_op"):
                    for attr in ("id", "operation_key"):
                        v = op.get(attr)
                        if v and v.startswith(old_id + "_"):
                            op.set(attr, new_id + v[len(old_id):])
            elif e.tag == "nvpair" and e.get("name"):
                e.set("name", attr_name(e.get("name")))
    return root


def reverse_children(root, path):
    found = False
    for parent in root.findall(path):
        kids = list(parent)
        if len(kids) < 2:
            continue
        for k in kids:
            parent.remove(k)
        for k in reversed(kids):
            parent.append(k)
        found = True
    if not found:
        raise Skip("nothing to reverse")
    return root


SCORE_ATTRS = {"score"}
SCORE_NVPAIRS = {"resource-stickiness", "default-resource-stickiness", "stickiness"}


def scale(v):
    s = v.strip()
    if not re.fullmatch(r"[+-]?\d+", s):
        return v
    n = int(s)
    if n == 0 or abs(n) >= 1000000:
        return v
    return str(n * 3 // 2) if n % 2 == 0 else str(n + (n // abs(n)) * ((abs(n) + 1) // 2))


def scale_scores(root):
    changed = False
    for e in root.find("./configuration").iter():
        if e.tag in ("rsc_order",):
            continue  # an order's score only says mandatory or not
        for attr in SCORE_ATTRS:
            if attr in e.attrib:
                new = scale(e.get(attr))
                if new != e.get(attr):
                    e.set(attr, new)
                    changed = True
        if e.tag == "nvpair" and e.get("name") in SCORE_NVPAIRS and e.get("value") is not None:
            new = scale(e.get("value"))
            if new != e.get("value"):
                e.set("value", new)
                changed = True
    if not changed:
        raise Skip("no finite score")
    return root


def extra_node(root):
    nodes = root.find("./configuration/nodes")
    status = root.find("./status")
    if nodes is None:
        raise Skip("no nodes section")
    taken = {e.get("id") for e in root.iter() if e.get("id")} | {
        n.get("uname") for n in root.iter("node")
    }
    name = "aaa-idle"
    if name in taken:
        raise Skip("name taken")
    ET.SubElement(nodes, "node", {"id": name, "uname": name})
    if status is None:
        status = ET.SubElement(root, "status")
    ns = ET.SubElement(status, "node_state", {
        "id": name, "uname": name, "in_ccm": "true", "crmd": "online",
        "join": "member", "expected": "member", "crm-debug-origin": "vary-corpus",
    })
    lrm = ET.SubElement(ns, "lrm", {"id": name})
    ET.SubElement(lrm, "lrm_resources")
    return root


def make_variant(kind, root):
    if kind == "identity":
        return root
    if kind == "rename-nodes":
        return rename_nodes(root)
    if kind == "rename-resources":
        return rename_resources(root)
    if kind == "reverse-resources":
        return reverse_children(root, "./configuration/resources")
    if kind == "reverse-constraints":
        return reverse_children(root, "./configuration/constraints")
    if kind == "reverse-nodes":
        return reverse_children(root, "./configuration/nodes")
    if kind == "reverse-lrm":
        return reverse_children(root, "./status/node_state/lrm/lrm_resources")
    if kind == "reverse-node-states":
        return reverse_children(root, "./status")
    if kind == "scale-scores":
        return scale_scores(root)
    if kind == "extra-node":
        return extra_node(root)
    raise ValueError(kind)


# ----- running -----


def run(argv, timeout):
    try:
        p = subprocess.run(argv, capture_output=True, timeout=timeout,
                           env=dict(os.environ, LC_ALL="C"))
        return p.returncode, p.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return "timeout", ""


def one(args, name, now, kind, tree):
    root = copy.deepcopy(tree.getroot())
    try:
        root = make_variant(kind, root)
    except Skip as e:
        return name, kind, "skipped", str(e), None
    text = ET.tostring(root, encoding="unicode")
    fd, path = tempfile.mkstemp(prefix="vary-%s-%s-" % (name, kind), suffix=".xml", dir=args.tmp)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0"?>\n' + text + "\n")
    try:
        oracle = shlex.split(args.oracle) + ([path] if args.oracle_xml_first
                                             else ["-S", "-x", path])
        if now:
            oracle += ["-t", now]
        cached = None
        if args.cache:
            key = hashlib.sha256((args.oracle + "\0" + now + "\0" + text).encode()).hexdigest()
            cached = os.path.join(args.cache, key[:2], key)
        if cached and os.path.exists(cached):
            with open(cached, encoding="utf-8") as f:
                rc, expected = 0, f.read()
        else:
            rc, expected = run(oracle, args.timeout)
            # exit 1 with a full output is an answer too ("An invalid
            # transition was produced"), and cibcheck must print the same
            if cached and "Current cluster status" in expected:
                os.makedirs(os.path.dirname(cached), exist_ok=True)
                with open(cached, "w", encoding="utf-8") as f:
                    f.write(expected)
        # crm_simulate 2.1.5 -t says so on stdout, where its cts-scheduler
        # summaries (and cibcheck --now) do not; 3.0.2's summaries have it
        if not args.oracle_xml_first:
            expected = "".join(l for l in expected.splitlines(True)
                               if not l.startswith("Setting effective cluster time:"))
        if args.oracle_xml_first:
            # the 3.0.2 wrapper mixes stderr in, as cts-scheduler compares
            expected = "\n".join(l for l in expected.split("\n")
                                 if not re.match(r"^(warning|error|crit|notice|info):", l))
        if "Current cluster status" not in expected:
            return name, kind, "oracle-failed", str(rc), None
        ours = shlex.split(args.cmd) + [path] + (["--now", now] if now else [])
        rc2, actual = run(ours, args.timeout)
        if rc2 != 0:
            res = {l: False for l in ("L0", "L1", "L2", "L3", "L4")}
        else:
            res = compare(expected, actual)
        agree = all(res[l] for l in ("L0", "L1", "L2", "L3"))
        if not res["L4"] and args.out:
            d = os.path.join(args.out, "disagree" if not agree else "inexact", kind)
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, name + ".xml"), "w", encoding="utf-8") as f:
                f.write('<?xml version="1.0"?>\n' + text + "\n")
            with open(os.path.join(d, name + ".oracle"), "w", encoding="utf-8") as f:
                f.write(expected)
            with open(os.path.join(d, name + ".ours"), "w", encoding="utf-8") as f:
                f.write(actual)
        levels = "".join("1" if res[l] else "0" for l in ("L0", "L1", "L2", "L3", "L4"))
        return name, kind, "agree" if agree else "disagree", levels, res
    finally:
        os.unlink(path)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--cmd", default="target/release/cibcheck simulate --format crm-simulate")
    ap.add_argument("--pacemaker", help="add --pacemaker VERSION to --cmd")
    ap.add_argument("--oracle", default="crm_simulate")
    ap.add_argument("--kinds", default=",".join(KINDS))
    ap.add_argument("--only", help="comma-separated case names")
    ap.add_argument("--only-file")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--out")
    ap.add_argument("--cache", help="keep the oracle's outputs here, by variant text")
    args = ap.parse_args()
    if args.pacemaker:
        args.cmd += " --pacemaker " + args.pacemaker
    # the 3.0.2 wrapper takes the CIB first
    args.oracle_xml_first = args.oracle.endswith(".sh")
    kinds = args.kinds.split(",")
    for k in kinds:
        if k not in KINDS:
            ap.error("unknown kind %s" % k)
    args.tmp = tempfile.mkdtemp(prefix="vary-corpus-")
    if args.out:
        os.makedirs(args.out, exist_ok=True)

    cases = []
    with open(os.path.join(args.corpus, "tests.tsv"), encoding="utf-8") as f:
        for row in f:
            if not row.strip() or row.startswith("#"):
                continue
            parts = row.rstrip("\n").split("\t")
            cases.append((parts[0], parts[2] if len(parts) > 2 else ""))
    wanted = None
    if args.only:
        wanted = set(args.only.split(","))
    if args.only_file:
        with open(args.only_file, encoding="utf-8") as f:
            wanted = (wanted or set()) | {l.strip() for l in f if l.strip() and not l.startswith("#")}
    if wanted is not None:
        cases = [c for c in cases if c[0] in wanted]

    totals = {k: collections.Counter() for k in kinds}
    rows = []
    with cf.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futs = []
        for name, now in cases:
            try:
                tree = ET.parse(os.path.join(args.corpus, "xml", name + ".xml"))
            except ET.ParseError:
                continue
            for k in kinds:
                futs.append(pool.submit(one, args, name, now, k, tree))
        for fut in futs:
            name, kind, status, detail, res = fut.result()
            t = totals[kind]
            if status != "skipped":
                t["variants"] += 1
            if status in ("agree", "disagree"):
                t["compared"] += 1
                for l, ok in res.items():
                    t[l] += ok
                t["agree"] += status == "agree"
                t["exact"] += res["L4"]
            rows.append((name, kind, status, detail))
    if args.out:
        with open(os.path.join(args.out, "report.tsv"), "w", encoding="utf-8") as f:
            f.write("name\tkind\tstatus\tL0L1L2L3L4/detail\n")
            for r in sorted(rows):
                f.write("\t".join(r) + "\n")
    for k in kinds:
        t = totals[k]
        print("%-20s variants=%d compared=%d agree=%d exact=%d L0=%d L1=%d L2=%d L3=%d" % (
            k, t["variants"], t["compared"], t["agree"], t["exact"],
            t["L0"], t["L1"], t["L2"], t["L3"]))
    os.rmdir(args.tmp)


if __name__ == "__main__":
    main()
