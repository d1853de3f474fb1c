#!/usr/bin/env bash
# Build cibcheck's .deb and .rpm into target/dist/ (cargo-deb and
# cargo-generate-rpm; metadata in Cargo.toml), from the release binary
# stripped of its debug information.
#
#   scripts/package.sh            build both packages
#   scripts/package.sh --check    also install the .deb here (needs root
#                                 and dpkg), check what it installed,
#                                 remove it, and check the .rpm's files
#
# Missing packaging tools are installed with `cargo install --locked` when
# CIBCHECK_INSTALL_TOOLS=1 (as .ci/run sets); otherwise the script says
# what is missing and stops without failing.
set -euo pipefail
cd "$(dirname "$0")/.."

check=false
[[ "${1:-}" == "--check" ]] && check=true

skip() {
    echo "package: skipped: $*"
    exit 0
}

# The versions tested here, pinned so that a new release of either tool
# cannot change (or break) CI's packages unnoticed. Built unoptimised
# (`--debug`): they run for a second, and an optimised build of their 288
# crates takes a quarter of an hour on two busy cores.
for spec in cargo-deb@3.8.0 cargo-generate-rpm@0.21.1; do
    tool=${spec%@*}
    if ! command -v "$tool" >/dev/null 2>&1; then
        if [[ "${CIBCHECK_INSTALL_TOOLS:-}" == 1 ]]; then
            echo "package: installing $spec"
            cargo install --locked --debug --quiet "$spec"
        else
            skip "$tool is not installed (cargo install --locked $spec)"
        fi
    fi
done

cargo build --release --locked --quiet
# Packages carry the binary without the line tables the release profile
# keeps for profiling; both tools read it from <target-dir>/release/.
out=target/dist
rm -rf "$out"
mkdir -p "$out/release"
strip -o "$out/release/cibcheck" target/release/cibcheck
CARGO_TARGET_DIR="$out" cargo deb --no-build --no-strip --output "$out/" >/dev/null
cargo generate-rpm --target-dir "$out" --output "$out/" >/dev/null
deb=$(ls "$out"/*.deb)
rpm=$(ls "$out"/*.rpm)
echo "package: built $deb ($(du -k "$deb" | cut -f1) KiB) and $rpm ($(du -k "$rpm" | cut -f1) KiB)"
$check || exit 0

fail() {
    echo "package: FAILED: $*" >&2
    exit 1
}

# Best effort: Debian packages the checks use, when apt-get can get them.
apt_install() {
    command -v apt-get >/dev/null 2>&1 && [[ $(id -u) == 0 ]] || return 0
    apt-get install -y -qq "$@" >/dev/null 2>&1 \
        || (apt-get update -qq && apt-get install -y -qq "$@") >/dev/null 2>&1 || true
}

# The .rpm's file list (rpm -qlp where rpm is installed or installable).
command -v rpm >/dev/null 2>&1 || apt_install rpm
if command -v rpm >/dev/null 2>&1; then
    files=$(rpm -qlp "$rpm" 2>/dev/null)
    for f in /usr/bin/cibcheck /usr/share/man/man1/cibcheck.1 /usr/share/man/man1/cibcheck-lint.1 \
        /usr/share/bash-completion/completions/cibcheck /usr/share/zsh/site-functions/_cibcheck \
        /usr/share/fish/vendor_completions.d/cibcheck.fish /usr/share/doc/cibcheck/rules/DR001.md \
        /usr/share/doc/cibcheck/README.md /usr/share/licenses/cibcheck/LICENSE-MIT; do
        grep -qx "$f" <<<"$files" || fail "$rpm lacks $f"
    done
    echo "package: rpm -qlp: $(wc -l <<<"$files") files, all expected ones present"
else
    echo "package: note: rpm not installable here; the .rpm's file list was not checked"
fi

command -v dpkg >/dev/null 2>&1 || skip "dpkg is missing: the .deb was built, not installed"
[[ $(id -u) == 0 ]] || skip "not root: the .deb was built, not installed"
if dpkg -s cibcheck >/dev/null 2>&1; then
    skip "a cibcheck package is already installed here; not replacing it"
fi
command -v man >/dev/null 2>&1 || apt_install man-db
# Debian's minimal images exclude man pages from installation.
if grep -qs '^path-exclude=/usr/share/man' /etc/dpkg/dpkg.cfg.d/*; then
    echo "package: note: dpkg excludes /usr/share/man here (minimal image); man -w is not checked"
    noman=true
else
    noman=false
fi

dpkg -i "$deb" >/dev/null
trap 'dpkg -r cibcheck >/dev/null 2>&1 || true' EXIT
version=$(/usr/bin/cibcheck --version)
[[ "$version" == "cibcheck $(cargo pkgid | sed 's/.*[#@]//')" ]] || fail "--version says: $version"
if ! $noman && command -v man >/dev/null 2>&1; then
    for page in cibcheck cibcheck-lint cibcheck-simulate; do
        where=$(man -w "$page") || fail "man -w $page finds no page"
        echo "package: man -w $page: $where"
    done
else
    echo "package: note: man is not installed; man -w not checked"
fi
# Where bash-completion loads completions from on demand (its pkg-config
# file says; installed here when apt-get can).
pkg-config --exists bash-completion 2>/dev/null || apt_install bash-completion pkg-config
compdir=$(pkg-config --variable=completionsdir bash-completion 2>/dev/null || true)
compdir=${compdir:-/usr/share/bash-completion/completions}
[[ -f "$compdir/cibcheck" ]] || fail "no bash completion in $compdir"
grep -q 'complete -F _cibcheck' "$compdir/cibcheck" || fail "$compdir/cibcheck is not the completion"
if [[ -f /usr/share/bash-completion/bash_completion ]]; then
    # bash-completion itself finds and loads it for the command name.
    loaded=$(bash --norc -c 'source /usr/share/bash-completion/bash_completion
        { __load_completion cibcheck || _comp_load cibcheck; } && complete -p cibcheck') \
        || fail "bash-completion does not load the cibcheck completion"
    echo "package: bash-completion loads: $loaded"
fi
[[ -f /usr/share/zsh/vendor-completions/_cibcheck ]] || fail "no zsh completion"
[[ -f /usr/share/doc/cibcheck/rules/DR001.md ]] || fail "no rule docs"
# Listed first, then searched: `grep -q` stopping early would make dpkg
# die of SIGPIPE, which pipefail reports as a failure.
listed=$(dpkg -L cibcheck)
grep -qx /usr/share/doc/cibcheck/LICENSE-APACHE <<<"$listed" || fail "no licence"
echo "package: dpkg -i: $version; completion in $compdir"
dpkg -r cibcheck >/dev/null
trap - EXIT
[[ ! -e /usr/bin/cibcheck ]] || fail "dpkg -r left /usr/bin/cibcheck"
echo "package: dpkg -r: removed"
