#!/bin/sh
# Build the fuzz seed corpora in fuzz/corpus/<target>/ (git-ignored):
# our own testdata, small CIBs from the benchmark generator and a sample of
# Pacemaker's regression corpus, when those are present. Nothing from
# ../shared is committed; it is only read here, at run time.
set -eu
cd "$(dirname "$0")/.."
PCMK_CTS=${PCMK_CTS:-../shared/pcmk-cts}
GEN=${GEN_CIB:-../shared/bench/gen_cib.py}
for t in loader linter scheduler renderers; do
    d=fuzz/corpus/$t
    mkdir -p "$d"
    find testdata -name '*.xml' -size -64k | while read -r f; do
        cp "$f" "$d/td-$(echo "$f" | tr / _)"
    done
    if [ -f "$GEN" ]; then
        for seed in 1 2 3; do
            for st in fresh steady; do
                python3 "$GEN" --nodes $((seed + 1)) --resources $((seed * 5)) \
                    --state $st --seed $seed > "$d/gen-$seed-$st.xml"
            done
        done
    fi
    if [ -d "$PCMK_CTS/xml" ]; then
        # Every 8th case below 32 KiB: a spread of features, small inputs.
        ls "$PCMK_CTS/xml"/*.xml | awk 'NR % 8 == 0' | while read -r f; do
            if [ "$(wc -c < "$f")" -lt 32768 ]; then cp "$f" "$d/cts-$(basename "$f")"; fi
        done
    fi
done
# Renderers: the same CIBs written on one line (as APIs write them), and
# with wide, combining and right-to-left characters in ids and text.
d=fuzz/corpus/renderers
for f in "$d"/td-*.xml; do
    b=$(basename "$f" .xml)
    tr -d '\n' < "$f" > "$d/oneline-$b.xml"
    sed -e 's/id="/id="漢字\xcc\x81/g' -e 's/description="/description="\xe2\x80\xae\xf0\x9f\x98\x80/g' \
        "$f" > "$d/wide-$b.xml"
done
ls fuzz/corpus/*/ | wc -l
