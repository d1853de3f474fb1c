#!/usr/bin/env python3
"""Whole-process benchmark of `cibcheck simulate` against `crm_simulate`.

Generates synthetic clusters with ../shared/bench/gen_cib.py (fresh and
steady state), runs both tools on the same CIB and event, and prints a
Markdown table of median wall time, peak memory (max RSS), the ratio, and
whether the two agree on the transition summary and executed actions.

    scripts/bench_vs_crm_simulate.py [--sizes 4x100,8x500] [--runs 3]
        [--crm-timeout 900] [--no-crm] [--corpus ../shared/pcmk-cts]
        [--remote-sizes 32+100x1000,32+1000x10000]

`--remote-sizes C+RxN` adds the Pacemaker Remote family (steady state, from
scripts/gen_remote_cib.py): C cluster nodes, R remote nodes, N resources
on the remote nodes; `--sizes ""` runs that family alone.

`--corpus` also times every corpus case with each tool, one process per case,
and cibcheck with all cases in one process.
"""

import argparse
import math
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEN = os.path.join(ROOT, "..", "shared", "bench", "gen_cib.py")
GEN_REMOTE = os.path.join(ROOT, "scripts", "gen_remote_cib.py")
CIBCHECK = os.path.join(ROOT, "target", "release", "cibcheck")


def measure(cmd, runs, timeout):
    """Median wall time, peak RSS (MB) over runs, and the last output.

    Peak RSS comes from GNU time wrapping the command: a child forked from
    this (large) Python process would report the parent's pages as its own.
    """
    walls, peaks, out = [], [], None
    for _ in range(runs):
        with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
            start = time.monotonic()
            proc = subprocess.Popen(
                ["/usr/bin/time", "-f", "%M", "-o", rss.name] + cmd,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                start_new_session=True,
            )
            try:
                out, _ = proc.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                # The whole group: GNU time and the command under it.
                os.killpg(proc.pid, signal.SIGKILL)
                proc.communicate()
                return None
            walls.append(time.monotonic() - start)
            try:
                peaks.append(int(rss.read().split()[-1]) / 1024.0)
            except (ValueError, IndexError):
                pass
    return statistics.median(walls), (max(peaks) if peaks else None), out


def sections(text):
    """Transition summary lines and executed action lines, whitespace-folded."""
    out = {"summary": [], "actions": []}
    cur = None
    for line in (text or "").splitlines():
        if line.startswith("Transition Summary"):
            cur = "summary"
            continue
        if line.startswith("Executing Cluster Transition"):
            cur = "actions"
            continue
        if line and not line.startswith(" "):
            cur = None
            continue
        if cur and line.strip():
            out[cur].append(" ".join(line.split()))
    return {k: sorted(v) for k, v in out.items()}


def standby_copy(path, node, tmp):
    """A copy of the CIB with `node` in standby, as an admin would set it."""
    text = open(path).read()
    pat = re.compile(r'(<node\b[^>]*\buname="%s"[^>]*?)(/?)>' % re.escape(node))
    m = pat.search(text)
    if not m:
        raise SystemExit(f"node {node} not found in {path}")
    attrs = (
        f'<instance_attributes id="nodes-{node}-standby">'
        f'<nvpair id="nodes-{node}-standby-nv" name="standby" value="on"/>'
        "</instance_attributes>"
    )
    if m.group(2) == "/":
        repl = f"{m.group(1)}>{attrs}</node>"
    else:
        repl = f"{m.group(1)}>{attrs}"
    out = os.path.join(tmp, os.path.basename(path).replace(".xml", f"-standby-{node}.xml"))
    with open(out, "w") as f:
        f.write(text[: m.start()] + repl + text[m.end():])
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="4x100,8x500,16x1000,32x3000")
    ap.add_argument("--states", default="steady,fresh")
    ap.add_argument("--events", default="none,standby")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--crm-runs", type=int, default=1)
    ap.add_argument("--crm-timeout", type=float, default=900)
    ap.add_argument("--no-crm", action="store_true")
    ap.add_argument("--remote-sizes", default="")
    ap.add_argument("--corpus")
    ap.add_argument("--workdir", default=os.path.join(ROOT, "target", "bench-cibs"))
    args = ap.parse_args()

    if not os.path.exists(CIBCHECK):
        raise SystemExit("build first: cargo build --release")
    crm = None if args.no_crm else shutil_which("crm_simulate")
    os.makedirs(args.workdir, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="cibcheck-bench-")

    rows, fit = [], []
    print("| state | size | event | cibcheck median s | cibcheck peak MB | crm_simulate s | crm_simulate peak MB | speed-up | agree |")
    print("|---|---|---|---:|---:|---:|---:|---:|---|")
    runs = []
    for state in args.states.split(","):
        for size in filter(None, args.sizes.split(",")):
            nodes, resources = (int(x) for x in size.split("x"))
            gen = [sys.executable, GEN, "--nodes", str(nodes), "--resources", str(resources), "--state", state]
            runs.append((state, size, nodes * resources, gen))
    for size in filter(None, args.remote_sizes.split(",")):
        counts, resources = size.split("x")
        cluster, remote = counts.split("+")
        gen = [sys.executable, GEN_REMOTE, "--cluster-nodes", cluster, "--remote-nodes", remote,
               "--resources", resources]
        runs.append(("remote", size, (int(cluster) + int(remote)) * int(resources), gen))
    for state, size, n, gen in runs:
        path = os.path.join(args.workdir, f"{state}-{size}.xml")
        if not os.path.exists(path):
            with open(path, "w") as f:
                subprocess.run(gen, stdout=f, check=True)
        for event in args.events.split(","):
            ours = [CIBCHECK, "simulate", "--format", "crm-simulate", path]
            theirs_in = path
            if event == "standby":
                ours += ["--standby", "node1"]
                theirs_in = standby_copy(path, "node1", tmp)
            elif event == "node-fail":
                ours += ["--node-fail", "node1"]
            elif event != "none":
                raise SystemExit(f"unknown event {event}")
            a = measure(ours, args.runs, 3600)
            b = None
            if crm:
                theirs = [crm, "-S", "-x", theirs_in]
                if event == "node-fail":
                    theirs += ["--node-fail", "node1"]
                b = measure(theirs, args.crm_runs, args.crm_timeout)
            ours_s = f"{a[0]:.3f}" if a else "timeout"
            ours_mb = f"{a[1]:.0f}" if a and a[1] else "?"
            if b:
                agree = "yes" if sections(a[2]) == sections(b[2]) else "NO"
                speed = f"{b[0] / a[0]:.0f}x" if a else "-"
                crm_s, crm_mb = f"{b[0]:.2f}", f"{b[1]:.0f}" if b[1] else "?"
            else:
                agree, speed = "-", "-"
                crm_s = "timeout" if crm else "not run"
                crm_mb = "-"
            print(f"| {state} | {size} | {event} | {ours_s} | {ours_mb} | {crm_s} | {crm_mb} | {speed} | {agree} |", flush=True)
            if a and event == "none":
                fit.append((state, n, a[0]))
    for state in dict.fromkeys(s for s, _, _ in fit):
        pts = [(math.log(n), math.log(t)) for s, n, t in fit if s == state]
        if len(pts) >= 2:
            mx = sum(x for x, _ in pts) / len(pts)
            my = sum(y for _, y in pts) / len(pts)
            num = sum((x - mx) * (y - my) for x, y in pts)
            den = sum((x - mx) ** 2 for x, _ in pts)
            ends = (pts[-1][1] - pts[0][1]) / (pts[-1][0] - pts[0][0])
            print(f"\n{state}, no event: time ~ n^{num / den:.2f} (least squares over n = nodes x resources), "
                  f"n^{ends:.2f} between the smallest and largest size")

    if args.corpus:
        corpus(args.corpus, crm)


def corpus(path, crm):
    cases = []
    for line in open(os.path.join(path, "tests.tsv")):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.rstrip("\n").split("\t")
        cases.append((parts[0], parts[2] if len(parts) > 2 and parts[2] else None))
    totals = {}
    for tool in ["cibcheck"] + (["crm_simulate"] if crm else []):
        start = time.monotonic()
        for name, now in cases:
            xml = os.path.join(path, "xml", name + ".xml")
            if tool == "cibcheck":
                cmd = [CIBCHECK, "simulate", "--format", "crm-simulate", xml]
                if now:
                    cmd += ["--now", now]
            else:
                cmd = [crm, "-S", "-x", xml]
                if now:
                    cmd += ["-t", now]
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        totals[tool] = time.monotonic() - start
    # All cases in one cibcheck process (several CIB paths to `simulate`;
    # each CIB's own execution-date instead of the few per-case --now).
    batch = []
    for _ in range(3):
        start = time.monotonic()
        subprocess.run([CIBCHECK, "simulate", "--format", "crm-simulate"]
                       + [os.path.join(path, "xml", n + ".xml") for n, _ in cases],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        batch.append(time.monotonic() - start)
    totals["cibcheck, one process"] = sorted(batch)[1]
    print(f"\ncorpus ({len(cases)} cases, sequential; one process per case unless noted):")
    for tool, t in totals.items():
        print(f"  {tool}: {t:.2f} s")
    if "crm_simulate" in totals:
        for tool in ["cibcheck", "cibcheck, one process"]:
            print(f"  ratio {tool}: 1/{totals['crm_simulate'] / totals[tool]:.0f}")


def shutil_which(name):
    import shutil

    return shutil.which(name)


if __name__ == "__main__":
    main()
