#!/usr/bin/env python3
"""List the corpus cases on which Pacemaker's own crm_simulate converges.

For each case of the Pacemaker regression corpus (PCMK_CTS, default
../shared/pcmk-cts): `crm_simulate -S -x CASE -O out.xml` executes the
transition and writes the revised CIB; `crm_simulate -S -x out.xml` then
schedules again. The case converges when that second transition is empty
(no transition summary item, no executed action). Writes the names of the
converging cases to tests/convergent-cases.txt, which tests/convergence.rs
reads, so that CI need not run crm_simulate 1300 times.

    scripts/convergent-cases.py [--jobs N]
"""
import argparse, os, subprocess, sys, tempfile
from concurrent.futures import ThreadPoolExecutor

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.dirname(here)
ap = argparse.ArgumentParser()
ap.add_argument("--corpus", default=os.environ.get("PCMK_CTS", os.path.join(repo, "..", "shared", "pcmk-cts")))
ap.add_argument("--jobs", type=int, default=1)
ap.add_argument("--out", default=os.path.join(repo, "tests", "convergent-cases.txt"))
a = ap.parse_args()

nows = {}
with open(os.path.join(a.corpus, "tests.tsv")) as f:
    for line in f:
        if line.startswith("#") or not line.strip():
            continue
        parts = line.rstrip("\n").split("\t")
        nows[parts[0]] = parts[2] if len(parts) > 2 else ""


def empty_transition(text):
    """No summary item and no executed action in crm_simulate -S output."""
    section = None
    for line in text.splitlines():
        if line and not line.startswith(" "):
            section = line.strip()
            continue
        if section in ("Transition Summary:", "Executing Cluster Transition:") and line.strip().startswith("*"):
            return False
    return True


def check(name):
    xml = os.path.join(a.corpus, "xml", name + ".xml")
    now = ["--set-datetime", nows[name]] if nows.get(name) else []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.xml")
        env = dict(os.environ, CIB_shadow_dir=tmp)
        try:
            r1 = subprocess.run(["crm_simulate", "-S", "-x", xml, "-O", out] + now,
                                capture_output=True, text=True, timeout=120, env=env)
            if r1.returncode != 0 or not os.path.exists(out):
                return name, "error"
            r2 = subprocess.run(["crm_simulate", "-S", "-x", out] + now,
                                capture_output=True, text=True, timeout=120, env=env)
        except subprocess.TimeoutExpired:
            return name, "timeout"
        if r2.returncode != 0:
            return name, "error"
        return name, "converges" if empty_transition(r2.stdout) else "moves"


names = sorted(n for n in nows if os.path.exists(os.path.join(a.corpus, "xml", n + ".xml")))
with ThreadPoolExecutor(a.jobs) as ex:
    results = list(ex.map(check, names))
counts = {}
for _, v in results:
    counts[v] = counts.get(v, 0) + 1
with open(a.out, "w") as f:
    f.write("# Corpus cases on which crm_simulate 2.1.5 converges: executing its\n")
    f.write("# transition (-S -O out.xml) and scheduling out.xml again gives an\n")
    f.write("# empty transition. Written by scripts/convergent-cases.py; read by\n")
    f.write("# tests/convergence.rs. %s\n" % ", ".join("%s: %d" % kv for kv in sorted(counts.items())))
    for n, v in results:
        if v == "converges":
            f.write(n + "\n")
print(counts, file=sys.stderr)
