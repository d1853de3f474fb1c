#!/bin/sh
# Fuzz each target in turn, one process at a time (the build machines are
# small): scripts/fuzz-run.sh SECONDS [TARGET...]. Crashes and timeouts do
# not stop a run (fork mode); they land in fuzz/artifacts/TARGET/. Logs go
# to fuzz/logs/TARGET.log; their last "#N ... exec/s" line is the total.
set -eu
cd "$(dirname "$0")/.."
secs=${1:-1200}
shift || true
targets=${*:-scheduler linter loader}
mkdir -p fuzz/logs
for t in $targets; do
    [ -d fuzz/corpus/$t ] || scripts/fuzz-seeds.sh
    nice -n 10 cargo +nightly fuzz run -O "$t" -- \
        -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=32768 \
        -dict=fuzz/xml.dict -print_final_stats=1 \
        > "fuzz/logs/$t.log" 2>&1 || true
done
